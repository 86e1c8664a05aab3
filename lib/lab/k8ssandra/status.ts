// Status bookkeeping as cass-operator and k8ssandra-operator do it: conditions keep their
// lastTransitionTime unless their status changes.
import type { DatacenterCondition } from './types.ts';

export function setConditions(
  current: DatacenterCondition[] | undefined,
  wanted: Record<string, 'True' | 'False'>,
  now: string,
): DatacenterCondition[] {
  const out = [...(current ?? [])];
  for (const [type, status] of Object.entries(wanted)) {
    const i = out.findIndex((c) => c.type === type);
    if (i >= 0 && out[i]!.status === status) continue;
    const c: DatacenterCondition = { type, status, reason: '', message: '', lastTransitionTime: now };
    if (i >= 0) out[i] = c;
    else out.push(c);
  }
  return out;
}

export function conditionIs(conditions: { type: string; status: string }[] | undefined, type: string, status = 'True'): boolean {
  return (conditions ?? []).some((c) => c.type === type && c.status === status);
}

/** Status content without timestamps that change on every write, to decide whether a write is needed. */
export function sameStatus(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? {}) === JSON.stringify(b ?? {});
}
