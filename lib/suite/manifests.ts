// What each suite applies, as a function of the configuration: `streamcert plan` prints it and
// validates it by server-side dry run; the suites apply the very same objects.
import type { StreamcertConfig } from '../config/schema.ts';
import type { K8sObject } from '../k8s/objects.ts';

export type ManifestBuilder = (config: StreamcertConfig, namespace: string, labels: Record<string, string>) => K8sObject[];

const builders = new Map<string, ManifestBuilder>();

/** Suites register their manifest builders here (imported by plan and by the suite itself). */
export function registerManifests(suiteId: string, build: ManifestBuilder): ManifestBuilder {
  builders.set(suiteId, build);
  return build;
}

export function manifestsFor(suiteId: string, config: StreamcertConfig, namespace: string, labels: Record<string, string>): K8sObject[] {
  return builders.get(suiteId)?.(config, namespace, labels) ?? [];
}
