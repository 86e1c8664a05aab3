// "The exact manifests applied": during a run, every object streamcert applies is also written, as
// sent, to reports/<run>/manifests/<suite>/NNN-<kind>-<namespace>-<name>.yaml (and attached to the
// check that applied it in Allure). Secrets keep their key names only. Outside a run (the lab, `plan`,
// unit tests) this does nothing; it never fails an apply.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { K8sObject } from '../k8s/objects.ts';
import { log } from '../log.ts';
import { currentRunContext, runContextEnv, suiteLabel } from '../run/context.ts';

export const MANIFESTS_DIR = 'manifests';
export const REDACTED = '<redacted>';

/** A copy in which a Secret's data/stringData values are replaced; other kinds are returned unchanged. */
export function redactSecrets<T extends { kind?: string }>(obj: T): T {
  if (obj.kind !== 'Secret') return obj;
  const copy = structuredClone(obj) as T & { data?: Record<string, unknown>; stringData?: Record<string, unknown> };
  for (const field of ['data', 'stringData'] as const) {
    const values = copy[field];
    if (values && typeof values === 'object') copy[field] = Object.fromEntries(Object.keys(values).map((k) => [k, REDACTED]));
  }
  return copy;
}

/** File name of the n-th manifest applied by a suite: `003-flinkdeployment-sc-x-04-ha-app.yaml`. */
export function manifestFileName(n: number, obj: Pick<K8sObject, 'kind' | 'metadata'>): string {
  const parts = [obj.kind, obj.metadata.namespace, obj.metadata.name].filter(Boolean).join('-');
  return `${String(n).padStart(3, '0')}-${parts.toLowerCase().replace(/[^a-z0-9.-]+/g, '_')}.yaml`;
}

/** Records obj (as sent) for the current run, if there is one. */
export async function recordAppliedManifest(obj: K8sObject): Promise<void> {
  const ctxFile = process.env[runContextEnv];
  if (!ctxFile || !existsSync(ctxFile)) return;
  try {
    const ctx = currentRunContext();
    const test = await currentTest();
    const suite = obj.metadata.labels?.[suiteLabel] ?? suiteOfTestFile(test?.file) ?? 'run';
    const dir = path.join(ctx.reportDir, MANIFESTS_DIR, suite.replace(/[^A-Za-z0-9._-]/g, '_'));
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, manifestFileName(readdirSync(dir).length + 1, obj));
    const header = `# applied ${new Date().toISOString()}${test ? ` by check "${test.name}"` : ''} (server-side apply, field manager streamcert)\n`;
    const yaml = stringify(redactSecrets(obj));
    writeFileSync(file, header + yaml);
    // Only where allure-vitest set up its runtime (the suites), else allure-js-commons warns on each call.
    if (test && typeof (globalThis as { allureTestRuntime?: unknown }).allureTestRuntime === 'function') {
      const allure = await import('allure-js-commons');
      await allure.attachment(`applied ${obj.kind} ${obj.metadata.name}`, yaml, { contentType: 'application/yaml', fileExtension: 'yaml' });
    }
  } catch (err) {
    log.debug(`could not record the applied manifest of ${obj.kind} ${obj.metadata.name}: ${(err as Error).message}`);
  }
}

/** The vitest test running now (in a suite worker), if any; loaded lazily so the CLI does not pay for it. */
async function currentTest(): Promise<{ name: string; file?: string } | undefined> {
  try {
    const { getCurrentTest } = await import('@vitest/runner');
    const test = getCurrentTest();
    return test ? { name: test.name, file: test.file?.filepath } : undefined;
  } catch {
    return undefined;
  }
}

function suiteOfTestFile(file: string | undefined): string | undefined {
  return file ? path.basename(file).replace(/\.test\.ts$/, '') : undefined;
}
