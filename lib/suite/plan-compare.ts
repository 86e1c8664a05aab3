// Plans are what runs: what a run applied (reports/<run>/manifests, as sent) against what
// `streamcert plan` printed for the same configuration. The run id is the only difference expected
// (the plan says "planned"); a <placeholder> in the plan (a value found at run time) and a redacted
// Secret value match anything. Namespaces are the harness's, not a plan's, and are left out.
import type { K8sObject } from '../k8s/objects.ts';
import { isPlaceholder } from './manifests.ts';

export interface PlanComparison {
  /** Planned and never applied. */
  missing: string[];
  /** Applied and in no plan. */
  unplanned: string[];
  /** Applied otherwise than planned: the object and the first field that differs. */
  differing: string[];
}

const key = (o: K8sObject) => `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`;

function byKey(objects: K8sObject[]): Map<string, K8sObject> {
  // Applied twice (04's service account, once per variant): the same object, kept once.
  return new Map(objects.filter((o) => o.kind !== 'Namespace').map((o) => [key(o), o]));
}

/** The first path at which `applied` differs from `planned`, or undefined when they agree. */
export function firstDifference(planned: unknown, applied: unknown, path = ''): string | undefined {
  if (isPlaceholder(planned) || isPlaceholder(applied)) return undefined;
  if (Array.isArray(planned) && Array.isArray(applied)) {
    if (planned.length !== applied.length) return `${path || '.'}: ${planned.length} item(s) planned, ${applied.length} applied`;
    for (let i = 0; i < planned.length; i++) {
      const d = firstDifference(planned[i], applied[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (planned && applied && typeof planned === 'object' && typeof applied === 'object' && !Array.isArray(planned) && !Array.isArray(applied)) {
    const p = planned as Record<string, unknown>;
    const a = applied as Record<string, unknown>;
    for (const k of [...new Set([...Object.keys(p), ...Object.keys(a)])].sort()) {
      const d = firstDifference(p[k], a[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return planned === applied ? undefined : `${path || '.'}: planned ${JSON.stringify(planned)}, applied ${JSON.stringify(applied)}`;
}

export function comparePlanWithApplied(planned: K8sObject[], applied: K8sObject[], runId: string): PlanComparison {
  // The run's id wherever it appears (namespace names, labels) is what the plan calls "planned".
  const asPlanned = JSON.parse(JSON.stringify(applied).replaceAll(runId, 'planned')) as K8sObject[];
  const p = byKey(planned);
  const a = byKey(asPlanned);
  const differing: string[] = [];
  for (const [k, obj] of a) {
    const want = p.get(k);
    const d = want && firstDifference(want, obj);
    if (d) differing.push(`${k} ${d}`);
  }
  return { missing: [...p.keys()].filter((k) => !a.has(k)), unplanned: [...a.keys()].filter((k) => !p.has(k)), differing };
}
