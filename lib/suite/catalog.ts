// The conformance suites in run order: what each validates and what it needs. `streamcert list`
// prints this, `streamcert run --suite` selects from it, and each suite file takes its title and
// prerequisites from here, so the three never disagree.

export interface SuiteInfo {
  /** `NN-name`, also the file name `suites/NN-name.test.ts`. */
  id: string;
  title: string;
  /** What the suite proves, in one sentence. */
  validates: string;
  /** Suites that must not have failed for this one to be worth running. */
  needs: string[];
  /** Which cluster(s) it touches. */
  clusters: ('flink' | 'cassandra')[];
  /** Platform pieces that must exist before it can run; missing ones stop the run with exit 3. */
  requires: Requirement[];
}

export type Requirement = 'flink-operator' | 'k8ssandra';

export const catalog: SuiteInfo[] = [
  {
    id: '01-platform',
    title: 'Platform readiness',
    validates:
      'the cluster answers, nodes are Ready, the Flink operator is Available with its CRDs served, storage and metrics APIs exist, and this run has the permissions it needs',
    needs: [],
    clusters: ['flink'],
    requires: [],
  },
  {
    id: '02-application-mode',
    title: 'Application-mode job',
    validates:
      'a FlinkDeployment with a job becomes STABLE/READY/RUNNING, REST shows the requested parallelism, and deletion leaves nothing behind',
    needs: ['01-platform'],
    clusters: ['flink'],
    requires: ['flink-operator'],
  },
  {
    id: '03-session-mode',
    title: 'Session-mode jobs',
    validates: 'a session cluster runs a FlinkSessionJob and a REST-submitted job side by side, sharing TaskManager slots',
    needs: ['01-platform'],
    clusters: ['flink'],
    requires: ['flink-operator'],
  },
  {
    id: '04-jobmanager-ha',
    title: 'JobManager high availability',
    validates:
      'after the JobManager is killed the same job id runs again, restored from the latest completed checkpoint, and checkpoints continue',
    needs: ['01-platform'],
    clusters: ['flink'],
    requires: ['flink-operator'],
  },
  {
    id: '05-reactive-scaling',
    title: 'Reactive scaling and HPA',
    validates: 'job parallelism follows the TaskManager count under kubectl-style scaling and under an HPA',
    needs: ['01-platform'],
    clusters: ['flink'],
    requires: ['flink-operator'],
  },
  {
    id: '06-wordcount-sweep',
    title: 'WordCount parallelism sweep',
    validates: 'WordCount produces correct counts at every parallelism, and how its duration changes with parallelism',
    needs: ['01-platform'],
    clusters: ['flink'],
    requires: ['flink-operator'],
  },
  {
    id: '07-k8ssandra',
    title: 'K8ssandra cluster',
    validates: 'a K8ssandraCluster becomes ready, its superuser secret logs in over CQL, and the paper schema is created',
    needs: [],
    clusters: ['cassandra'],
    requires: ['k8ssandra'],
  },
  {
    id: '08-flink-to-cassandra',
    title: 'Flink to Cassandra pipeline',
    validates: 'a Flink job writes to Cassandra, the table write count grows, and Flink and Cassandra counts reconcile',
    needs: ['01-platform', '07-k8ssandra'],
    clusters: ['flink', 'cassandra'],
    requires: ['flink-operator', 'k8ssandra'],
  },
  {
    id: '09-chaos',
    title: 'Chaos experiments',
    validates: 'the pipeline survives TaskManager, JobManager and Cassandra pod kills with no acknowledged write lost',
    needs: ['08-flink-to-cassandra'],
    clusters: ['flink', 'cassandra'],
    requires: ['flink-operator', 'k8ssandra'],
  },
  {
    id: '10-monitoring',
    title: 'Monitoring',
    validates:
      "Prometheus answers and scrapes a running job's JobManager and TaskManager metrics, whose record counter grows; Cassandra metrics and Grafana's Prometheus datasource where present",
    needs: ['01-platform'],
    clusters: ['flink'],
    requires: ['flink-operator'],
  },
];

export function suiteInfo(id: string): SuiteInfo {
  const info = catalog.find((s) => s.id === id);
  if (!info) throw new Error(`unknown suite ${id}; known: ${catalog.map((s) => s.id).join(', ')}`);
  return info;
}

/**
 * Resolves `--suite` selectors: a number (`4`, `04`), a name (`jobmanager-ha`), a full id, or a range
 * (`01..06`). Unknown selectors are reported together.
 */
export function selectSuites(selectors: string[], available: SuiteInfo[] = catalog): {
  selected: SuiteInfo[];
  unknown: string[];
} {
  if (selectors.length === 0) return { selected: available, unknown: [] };
  const unknown: string[] = [];
  const picked = new Set<string>();
  const numberOf = (s: SuiteInfo) => Number(s.id.slice(0, 2));
  const find = (sel: string) =>
    available.find((s) => s.id === sel || s.id.slice(3) === sel || (/^\d+$/.test(sel) && numberOf(s) === Number(sel)));
  for (const sel of selectors.flatMap((s) => s.split(','))) {
    const range = /^(\d+)\.\.(\d+)$/.exec(sel);
    if (range) {
      const [lo, hi] = [Number(range[1]), Number(range[2])];
      const inRange = available.filter((s) => numberOf(s) >= lo && numberOf(s) <= hi);
      if (inRange.length === 0) unknown.push(sel);
      inRange.forEach((s) => picked.add(s.id));
      continue;
    }
    const found = find(sel);
    if (found) picked.add(found.id);
    else unknown.push(sel);
  }
  return { selected: available.filter((s) => picked.has(s.id)), unknown };
}
