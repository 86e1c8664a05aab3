// What each suite applies, as a function of the configuration: its plan, the objects by name (a
// suite applies `plan.session`, never "the fourth object"). `streamcert plan` prints every plan and
// validates it by server-side dry run, and preflight checks it; the suites apply the very same objects.
import type { StreamcertConfig } from '../config/schema.ts';
import type { K8sObject } from '../k8s/objects.ts';

/** A suite's objects by name, in the order they are applied; one name may cover several (a service account and its role). */
export type Plan = Record<string, K8sObject | K8sObject[]>;

export type PlanBuilder<P extends Plan> = (config: StreamcertConfig, namespace: string, labels: Record<string, string>) => P;

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

export function manifestsFor(suiteId: string, config: StreamcertConfig, namespace: string, labels: Record<string, string>): K8sObject[] {
  const build = builders.get(suiteId);
  return build ? planObjects(build(config, namespace, labels)) : [];
}
