// judgeDeletion on each of its sides. The objects are hand-written in the API's shape (see
// __fixtures__/deletion/README.md): no lab capture was made for them yet.
import { describe, expect, it } from 'vitest';
import { judgeDeletion, observeDeletion } from './deletion.ts';
import type { K8sObject } from './objects.ts';

// The API sends deletionTimestamp as a string (as read from JSON); the client's type says Date.
const at = (iso: string) => iso as unknown as Date;
const object = 'FlinkDeployment sc-example-02/app-mode';
const base = { object, existedAtRequest: true, deadlineSeconds: 60, dependentsWatched: 'pods and services labelled app=app-mode' };
const fd = (metadata: Partial<K8sObject['metadata']>): K8sObject => ({
  apiVersion: 'flink.apache.org/v1beta1',
  kind: 'FlinkDeployment',
  metadata: { name: 'app-mode', namespace: 'sc-example-02', ...metadata },
});
const terminatingPod: K8sObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'app-mode-taskmanager-1-1', namespace: 'sc-example-02', deletionTimestamp: at('2026-12-02T10:39:10Z') },
};

describe('judgeDeletion', () => {
  it('passes when the object and its dependents are gone, nothing forced', () => {
    expect(judgeDeletion(observeDeletion({ ...base, elapsedSeconds: 7.3, dependents: [] }))).toEqual({
      ok: true,
      reason: `${object} gone, and no pods and services labelled app=app-mode left, 7.3 s after its deletion was requested (deadline 60 s, nothing forced)`,
    });
  });

  it('fails naming the object and the finalizer left when it is still terminating at the deadline', () => {
    const current = fd({ deletionTimestamp: at('2026-12-02T10:39:00Z'), finalizers: ['streamcert.io/selftest-held'] });
    expect(judgeDeletion(observeDeletion({ ...base, elapsedSeconds: 60, current, dependents: [] }))).toEqual({
      ok: false,
      reason: `${object} still terminating 60 s after its deletion was requested, held by finalizer streamcert.io/selftest-held: whoever owns it did not finish its cleanup (see the operator log in the evidence)`,
    });
  });

  it('names every finalizer and what else is left', () => {
    const current = fd({ deletionTimestamp: at('2026-12-02T10:39:00Z'), finalizers: ['flinkdeployments.flink.apache.org/finalizer', 'streamcert.io/selftest-held'] });
    const j = judgeDeletion(observeDeletion({ ...base, elapsedSeconds: 60, current, dependents: [terminatingPod] }));
    expect(j.ok).toBe(false);
    expect(j.reason).toContain('held by finalizers flinkdeployments.flink.apache.org/finalizer, streamcert.io/selftest-held');
    expect(j.reason).toContain('also left: Pod app-mode-taskmanager-1-1 (terminating)');
  });

  it('fails when the object is still there and not terminating (the deletion was not accepted)', () => {
    const j = judgeDeletion(observeDeletion({ ...base, elapsedSeconds: 60, current: fd({}), dependents: [] }));
    expect(j).toEqual({ ok: false, reason: `${object} is still there 60 s after its deletion was requested and not terminating: the deletion was not accepted` });
  });

  it('fails naming the dependents left once the object itself is gone', () => {
    const j = judgeDeletion(observeDeletion({ ...base, elapsedSeconds: 60, dependents: [terminatingPod] }));
    expect(j).toEqual({
      ok: false,
      reason: `${object} is gone but 60 s after its deletion was requested pods and services labelled app=app-mode are left: Pod app-mode-taskmanager-1-1 (terminating)`,
    });
  });

  it('fails when there was nothing to delete (an empty observation never passes)', () => {
    const j = judgeDeletion(observeDeletion({ ...base, existedAtRequest: false, elapsedSeconds: 0, dependents: [] }));
    expect(j.ok).toBe(false);
    expect(j.reason).toBe(`${object} did not exist when its deletion was requested: there was no deletion to judge`);
  });
});
