// Cassandra in Prometheus: K8ssandra exports metrics through MCAC (`mcac_*`) or, from Cassandra 4.1 on
// its own endpoint (`org_apache_cassandra_*`); other set-ups use a JMX exporter (`cassandra_*`). A
// target counts as Cassandra's when its job or any of its labels names Cassandra.
import type { ScrapeTarget } from './prometheus.ts';

export function cassandraTargets(targets: ScrapeTarget[]): ScrapeTarget[] {
  return targets.filter((t) => Object.entries(t.labels).some(([k, v]) => /cassandra/i.test(k) || /cassandra/i.test(v)));
}

/** How many Cassandra series the given targets exported at their last scrape. */
export function cassandraSeriesQuery(targets: ScrapeTarget[]): string {
  const instances = [...new Set(targets.map((t) => t.labels.instance).filter(Boolean))].map((i) => i!.replace(/[.*+?^${}()|[\]\\]/g, '\\\\$&'));
  return `count({__name__=~"mcac_.+|org_apache_cassandra_.+|cassandra_.+",instance=~"${instances.join('|')}"})`;
}
