// What a Flink Kubernetes Operator release can parse. The CRD accepts any string for enum-typed spec
// fields, so the apiserver lets through a value the operator's Jackson model does not know; the
// operator's informer then fails to deserialize the object, the operator restarts in a loop, and no
// FlinkDeployment in any namespace is reconciled until the object is gone. A run must therefore
// refuse such a value before it applies anything.
//
// Source of the table: the enums FlinkVersion.java and KubernetesDeploymentMode.java
// (flink-kubernetes-operator-api/src/main/java/org/apache/flink/kubernetes/operator/api/spec/) at
// each release tag release-X.Y.0 of apache/flink-kubernetes-operator; patch releases add no value.
// Operators only ever add values, so a release newer than the table knows at least its last row.
import type { V1Deployment } from '@kubernetes/client-node';
import type { K8sObject } from '../k8s/objects.ts';

const v = (last: string) => {
  const all = ['v1_13', 'v1_14', 'v1_15', 'v1_16', 'v1_17', 'v1_18', 'v1_19', 'v1_20', 'v2_0', 'v2_1', 'v2_2', 'v2_3', 'v2_4'];
  return all.slice(0, all.indexOf(last) + 1);
};

/** `spec.flinkVersion` values by operator minor release (the first release with that set). */
export const flinkVersionsByOperator: readonly (readonly [minor: string, versions: string[]])[] = [
  ['1.0', v('v1_16')],
  ['1.4', v('v1_17')],
  ['1.6', v('v1_18')],
  ['1.7', v('v1_19')],
  ['1.10', v('v1_20')],
  ['1.11', v('v2_0')],
  ['1.13', v('v2_2')],
  ['1.15', v('v2_4')],
];

/** `spec.mode` (KubernetesDeploymentMode) exists since 1.2; before it the field is unknown. */
const modesSince: readonly (readonly [minor: string, modes: string[]])[] = [
  ['1.0', []],
  ['1.2', ['native', 'standalone']],
];

function parseVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

function atLeast(version: [number, number, number], minor: string): boolean {
  const [maj, min] = minor.split('.').map(Number) as [number, number];
  return version[0] > maj || (version[0] === maj && version[1] >= min);
}

function rowFor<T>(table: readonly (readonly [string, T])[], version: [number, number, number]): T | undefined {
  let found: T | undefined;
  for (const [minor, value] of table) if (atLeast(version, minor)) found = value;
  return found;
}

/** The values of `spec.flinkVersion` that operator `version` (e.g. `1.7.0`) can parse; undefined when older than 1.0. */
export function knownFlinkVersions(version: string): string[] | undefined {
  const parsed = parseVersion(version);
  return parsed ? rowFor(flinkVersionsByOperator, parsed) : undefined;
}

export interface OperatorIdentity {
  /** `1.7.0`, or undefined when nothing on the Deployment says it. */
  version?: string;
  /** Where the version was read: a label, the chart label, or the image tag. */
  source?: string;
}

/** The operator's release, read from its Deployment: the chart's version label, the chart label, else the image tag. */
export function operatorIdentity(deployment: V1Deployment | undefined): OperatorIdentity {
  const labels = deployment?.metadata?.labels ?? {};
  const fromLabel = labels['app.kubernetes.io/version'];
  if (fromLabel && parseVersion(fromLabel)) return { version: fromLabel, source: 'label app.kubernetes.io/version' };
  const chart = /-(\d+\.\d+\.\d+)$/.exec(labels['helm.sh/chart'] ?? '')?.[1];
  if (chart) return { version: chart, source: 'label helm.sh/chart' };
  const containers = deployment?.spec?.template.spec?.containers ?? [];
  const image = (containers.find((c) => /operator/.test(c.name ?? '') || /operator/.test(c.image ?? '')) ?? containers[0])?.image;
  const tag = image?.includes('@') ? undefined : image?.split('/').pop()?.split(':')[1];
  if (tag && parseVersion(tag)) return { version: tag, source: `image tag of ${image}` };
  return {};
}

/**
 * Why the operator could not parse the Flink objects a run would apply (one line each), or [] when
 * it can. `explicitFlinkVersion` tells whether the user set flink.flinkVersion: with an operator of
 * unknown release only an explicit value is acceptable (we cannot check a default against it).
 */
export function compatibilityProblems(
  operator: OperatorIdentity,
  objects: K8sObject[],
  opts: { explicitFlinkVersion: boolean },
): string[] {
  const flinkObjects = objects.filter((o) => o.kind === 'FlinkDeployment');
  if (flinkObjects.length === 0) return [];
  const parsed = operator.version ? parseVersion(operator.version) : undefined;
  if (!parsed) {
    return opts.explicitFlinkVersion
      ? []
      : [
          'the Flink operator\'s release cannot be determined (no app.kubernetes.io/version or helm.sh/chart label, no version tag on its image), ' +
            'so the default spec.flinkVersion cannot be checked against it: set flink.flinkVersion to a value that operator knows',
        ];
  }
  const versions = rowFor(flinkVersionsByOperator, parsed);
  const modes = rowFor(modesSince, parsed);
  if (!versions || !modes) return [`Flink operator ${operator.version} is older than 1.0, which streamcert does not support`];
  const problems = new Set<string>();
  for (const o of flinkObjects) {
    const spec = (o['spec'] ?? {}) as { flinkVersion?: string; mode?: string };
    if (spec.flinkVersion !== undefined && !versions.includes(spec.flinkVersion)) {
      problems.add(
        `Flink operator ${operator.version} cannot parse spec.flinkVersion ${spec.flinkVersion} (it knows ${versions.join(', ')}): ` +
          `set flink.flinkVersion to one of those${opts.explicitFlinkVersion ? '' : ' (the value was the default)'}`,
      );
    }
    if (spec.mode !== undefined && !modes.includes(spec.mode)) {
      problems.add(
        `Flink operator ${operator.version} cannot parse spec.mode ${spec.mode} (${modes.length ? `it knows ${modes.join(', ')}` : 'the field exists since 1.2'}): ` +
          `suites that need standalone mode cannot run on it`,
      );
    }
  }
  return [...problems];
}
