// What each suite applies, as a function of the configuration: its plan, the objects by name (a
// suite applies `plan.session`, never "the fourth object"). `streamcert plan` prints every plan and
// validates it by server-side dry run, and preflight checks it; the suites apply the very same objects.
import type { StreamcertConfig } from '../config/schema.ts';
import type { K8sObject } from '../k8s/objects.ts';

/** A suite's objects by name, in the order they are applied; one name may cover several (a service account and its role). */
export type Plan = Record<string, K8sObject | K8sObject[]>;

/**
 * What a plan can only know once the run is under way. A suite passes what it found; `streamcert plan`
 * finds what it can (the storage class, when the cluster answers) and shows the rest as a placeholder.
 */
export interface PlanInputs {
  /** The cluster's ReadWriteMany storage class (04, 06, 09). */
  rwxStorageClass?: string;
  /** The Cassandra login the pipeline job reads, copied from the operator's superuser secret (08, 09). */
  cassandraLogin?: { username: string; password: string };
  /** When the pipeline job starts: it writes rows from then on, and 08 reads those (08, 09). */
  pipelineStartMs?: number;
  /** Where the pipeline job reaches CQL: the Service's DNS name, or cassandra.address from another cluster (08, 09). */
  cassandraEndpoint?: string;
}

export type PlanBuilder<P extends Plan> = (config: StreamcertConfig, namespace: string, labels: Record<string, string>, inputs?: PlanInputs) => P;

/** A value the run finds out: `<what>` in a printed plan, matching any value in a comparison with what was applied. */
export function placeholder(what: string): string {
  return `<${what}>`;
}

export function isPlaceholder(value: unknown): boolean {
  return typeof value === 'string' && /^<[^<>]+>$/.test(value);
}

const builders = new Map<string, PlanBuilder<Plan>>();

/** Suites register their plans here (imported by plan, preflight and the suite itself). */
export function registerPlan<P extends Plan>(suiteId: string, build: PlanBuilder<P>): PlanBuilder<P> {
  builders.set(suiteId, build);
  return build;
}

/** Every object of a plan, in order. */
export function planObjects(plan: Plan): K8sObject[] {
  return Object.values(plan).flat();
}

export function manifestsFor(suiteId: string, config: StreamcertConfig, namespace: string, labels: Record<string, string>, inputs?: PlanInputs): K8sObject[] {
  const build = builders.get(suiteId);
  return build ? planObjects(build(config, namespace, labels, inputs)) : [];
}
