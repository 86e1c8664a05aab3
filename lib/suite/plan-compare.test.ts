import { describe, expect, it } from 'vitest';
import type { K8sObject } from '../k8s/objects.ts';
import { comparePlanWithApplied } from './plan-compare.ts';

const claim = (ns: string, storageClassName: string): K8sObject => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'ha-app-data', namespace: ns, labels: { 'streamcert.io/run-id': ns.split('-').slice(1, -1).join('-') } },
  spec: { accessModes: ['ReadWriteMany'], storageClassName },
});
const ns = (name: string): K8sObject => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
const runId = '20261207-181500-ab12';

describe('comparePlanWithApplied', () => {
  it('agrees when only the run id differs and the plan left a value to find at run time', () => {
    const planned = [ns('sc-planned-04'), claim('sc-planned-04', "<the cluster's ReadWriteMany storage class>")];
    const applied = [ns(`sc-${runId}-04`), claim(`sc-${runId}-04`, 'lab-rwx')];
    expect(comparePlanWithApplied(planned, applied, runId)).toEqual({ missing: [], unplanned: [], differing: [] });
  });

  it('names an object applied but in no plan, one planned but never applied, and the first field that differs', () => {
    const planned = [claim('sc-planned-04', 'lab-rwx'), { ...claim('sc-planned-04', 'lab-rwx'), metadata: { name: 'ha-session-data', namespace: 'sc-planned-04' } }];
    const stray: K8sObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'inline', namespace: `sc-${runId}-04` } };
    const applied = [claim(`sc-${runId}-04`, 'other-class'), stray];
    expect(comparePlanWithApplied(planned, applied, runId)).toEqual({
      missing: ['PersistentVolumeClaim sc-planned-04/ha-session-data'],
      unplanned: ['Pod sc-planned-04/inline'],
      differing: ['PersistentVolumeClaim sc-planned-04/ha-app-data .spec.storageClassName: planned "lab-rwx", applied "other-class"'],
    });
  });

  it('matches a redacted Secret value to what the plan says it is copied from', () => {
    const secret = (ns: string, password: string): K8sObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'cassandra-credentials', namespace: ns }, stringData: { password } });
    expect(comparePlanWithApplied([secret('sc-planned-08', '<from sc-planned-cassandra/demo-superuser>')], [secret(`sc-${runId}-08`, '<redacted>')], runId).differing).toEqual([]);
  });
});
