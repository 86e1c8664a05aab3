// Where a run may create objects: in the namespaces it creates itself (`sc-<run-id>-…`), in the fixed
// suite namespace the configuration names for that purpose (namespaces.suites), and in namespaces the
// configuration lists in namespaces.allowCreate. Anywhere else (kube-system, a team's namespace that
// namespaces.cassandra points at to find an existing cluster) the run refuses before it creates
// anything: a certification run must not leave a 3-node Cassandra in a namespace it was only told to look in.
import type { StreamcertConfig } from '../config/schema.ts';

/** The namespaces a run with this id creates itself (and deletes at its end). */
export function runOwnsNamespace(namespace: string, runId: string): boolean {
  return namespace.startsWith(`sc-${runId}-`);
}

export function createAllowed(config: StreamcertConfig, namespace: string, runId: string): boolean {
  return (
    runOwnsNamespace(namespace, runId) ||
    namespace === config.namespaces.suites ||
    config.namespaces.allowCreate.includes(namespace)
  );
}

export interface PlannedCreation {
  /** `K8ssandraCluster demo`: what would be created. */
  what: string;
  namespace: string;
  /** The suite (or `shared`) that would create it. */
  by: string;
}

/** One line per planned creation the run may not make, naming the object, the namespace and the way out. */
export function ownershipProblems(config: StreamcertConfig, runId: string, planned: PlannedCreation[]): string[] {
  const refused = planned.filter((p) => !createAllowed(config, p.namespace, runId));
  const byNamespace = new Map<string, PlannedCreation[]>();
  for (const p of refused) byNamespace.set(p.namespace, [...(byNamespace.get(p.namespace) ?? []), p]);
  return [...byNamespace].map(
    ([ns, items]) =>
      `refusing to create ${items.map((p) => `${p.what} (${p.by})`).join(', ')} in namespace ${ns}: ` +
      'this run does not own that namespace and namespaces.allowCreate does not list it ' +
      '(create the object there yourself to have the run use it, or add the namespace to namespaces.allowCreate)',
  );
}
