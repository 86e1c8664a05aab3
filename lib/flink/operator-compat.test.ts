import { describe, expect, it } from 'vitest';
import type { V1Deployment } from '@kubernetes/client-node';
import { compatibilityProblems, knownFlinkVersions, operatorIdentity } from './operator-compat.ts';

const fd = (spec: Record<string, unknown>) => ({ apiVersion: 'flink.apache.org/v1beta1', kind: 'FlinkDeployment', metadata: { name: 'x' }, spec });

describe('knownFlinkVersions', () => {
  it('follows the upstream releases (FlinkVersion.java at each release tag)', () => {
    expect(knownFlinkVersions('1.3.1')?.at(-1)).toBe('v1_16');
    expect(knownFlinkVersions('1.6.1')?.at(-1)).toBe('v1_18');
    expect(knownFlinkVersions('1.7.0')?.at(-1)).toBe('v1_19');
    expect(knownFlinkVersions('1.10.0')?.at(-1)).toBe('v1_20');
    expect(knownFlinkVersions('1.12.1')?.at(-1)).toBe('v2_0');
    expect(knownFlinkVersions('1.15.0')?.at(-1)).toBe('v2_4');
    // A release newer than the table knows at least the table's last row.
    expect(knownFlinkVersions('1.16.0')?.at(-1)).toBe('v2_4');
    expect(knownFlinkVersions('0.1.0')).toBeUndefined();
  });
});

describe('operatorIdentity', () => {
  const dep = (labels: Record<string, string>, image: string): V1Deployment => ({
    metadata: { labels },
    spec: { selector: {}, template: { spec: { containers: [{ name: 'flink-kubernetes-operator', image }] } } },
  });
  it('reads the version label first, then the chart label, then the image tag', () => {
    expect(operatorIdentity(dep({ 'app.kubernetes.io/version': '1.7.0' }, 'x:latest'))).toEqual({ version: '1.7.0', source: 'label app.kubernetes.io/version' });
    expect(operatorIdentity(dep({ 'helm.sh/chart': 'flink-kubernetes-operator-1.10.0' }, 'x:latest')).version).toBe('1.10.0');
    expect(operatorIdentity(dep({}, 'ghcr.io/apache/flink-kubernetes-operator:1.12.1')).version).toBe('1.12.1');
  });
  it('says nothing when nothing tells the version (latest tag, digest)', () => {
    expect(operatorIdentity(dep({}, 'ghcr.io/apache/flink-kubernetes-operator:latest'))).toEqual({});
    expect(operatorIdentity(dep({}, 'ghcr.io/apache/flink-kubernetes-operator@sha256:abc'))).toEqual({});
    expect(operatorIdentity(undefined)).toEqual({});
  });
});

describe('compatibilityProblems', () => {
  it('passes a flinkVersion the operator knows', () => {
    expect(compatibilityProblems({ version: '1.7.0' }, [fd({ flinkVersion: 'v1_18', mode: 'standalone' })], { explicitFlinkVersion: false })).toEqual([]);
  });
  it('refuses v1_20 on operator 1.7.0, naming the version, the value and the allowed ones', () => {
    const problems = compatibilityProblems({ version: '1.7.0' }, [fd({ flinkVersion: 'v1_20' }), fd({ flinkVersion: 'v1_20' })], { explicitFlinkVersion: false });
    expect(problems).toEqual([
      'Flink operator 1.7.0 cannot parse spec.flinkVersion v1_20 (it knows v1_13, v1_14, v1_15, v1_16, v1_17, v1_18, v1_19): set flink.flinkVersion to one of those (the value was the default)',
    ]);
  });
  it('refuses spec.mode on an operator older than 1.2', () => {
    expect(compatibilityProblems({ version: '1.1.0' }, [fd({ flinkVersion: 'v1_15', mode: 'standalone' })], { explicitFlinkVersion: true })[0]).toMatch(
      /1\.1\.0 cannot parse spec\.mode standalone \(the field exists since 1\.2\)/,
    );
  });
  it('with an operator of unknown release, requires an explicit flink.flinkVersion', () => {
    expect(compatibilityProblems({}, [fd({ flinkVersion: 'v1_20' })], { explicitFlinkVersion: false })[0]).toMatch(/cannot be determined.*set flink\.flinkVersion/);
    expect(compatibilityProblems({}, [fd({ flinkVersion: 'v1_20' })], { explicitFlinkVersion: true })).toEqual([]);
  });
  it('has nothing to say when no Flink object is applied', () => {
    expect(compatibilityProblems({}, [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }], { explicitFlinkVersion: false })).toEqual([]);
  });
});
