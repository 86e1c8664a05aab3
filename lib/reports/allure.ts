// Allure: allure-vitest writes allure-results/ during a run (a result per check, with the evidence and
// the manifests applied attached by the suites' workers). Here, after the run, each result gets the
// configuration values that make it comparable as parameters (target, Flink image and version, operator
// namespace, Cassandra size and RF), and the folder gets the environment fingerprint
// (environment.properties, Allure's Environment widget) and the run as executor. `streamcert report
// --allure` then builds the HTML report with the Allure command line (Java), from node_modules or PATH.
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { $ } from 'zx';
import type { RunResult } from '../results/model.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { repoRoot } from '../suite/available.ts';

export const ALLURE_RESULTS = 'allure-results';
export const ALLURE_REPORT = 'allure-report';

/** `name=value` pairs worth seeing on every check: the settings a figure depends on. */
export function allureParameters(result: RunResult): { name: string; value: string }[] {
  const config = (result.config ?? {}) as Record<string, Record<string, unknown> | unknown>;
  const at = (p: string): unknown => p.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), config);
  const entries: [string, unknown][] = [
    ['profile', result.profile],
    ['target', at('target') ?? result.environment.target],
    ['flink.image', at('flink.image')],
    ['flink.version', result.environment.flinkVersion],
    ['flink.flinkVersion', at('flink.flinkVersion')],
    ['namespaces.operator', at('namespaces.operator')],
    ['cassandra.size', at('cassandra.size')],
    ['cassandra.replicationFactor', at('cassandra.replicationFactor')],
  ];
  return entries.filter(([, v]) => v !== undefined && v !== null && v !== '').map(([name, v]) => ({ name, value: String(v) }));
}

/** The environment fingerprint as Allure's environment.properties (one `key = value` a line). */
export function environmentProperties(result: RunResult): string {
  const env = result.environment;
  const rows: [string, unknown][] = [
    ['run.id', result.runId],
    ['run.profile', result.profile],
    ['target', env.target],
    ['kubernetes', env.kubernetesVersion],
    ['nodes', env.nodeCount],
    ['flink.operator', env.operatorVersion],
    ['flink', env.flinkVersion],
    ['cassandra', env.cassandraVersion],
    ...Object.entries(env.details ?? {}),
  ];
  // Java properties: backslash, newline and the separators must be escaped.
  const esc = (s: string) => s.replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n').replace(/[=:]/g, (c) => `\\${c}`);
  return rows.filter(([, v]) => v !== undefined).map(([k, v]) => `${esc(k)}=${String(v).replace(/\\/g, '\\\\').replace(/\r?\n/g, '\\n')}`).join('\n') + '\n';
}

/** Adds the parameters to every result in allure-results and writes environment.properties and executor.json. Idempotent. */
export async function enrichAllureResults(runDir: string, result: RunResult): Promise<{ results: number }> {
  const dir = path.join(runDir, ALLURE_RESULTS);
  if (!existsSync(dir)) return { results: 0 };
  const params = allureParameters(result);
  let count = 0;
  for (const name of await readdir(dir)) {
    if (!name.endsWith('-result.json')) continue;
    const file = path.join(dir, name);
    const test = JSON.parse(await readFile(file, 'utf8')) as { parameters?: { name: string; value: string }[] };
    const present = new Set((test.parameters ?? []).map((p) => p.name));
    test.parameters = [...(test.parameters ?? []), ...params.filter((p) => !present.has(p.name))];
    await writeFile(file, JSON.stringify(test));
    count += 1;
  }
  await writeFileAtomic(path.join(dir, 'environment.properties'), environmentProperties(result));
  await writeFileAtomic(
    path.join(dir, 'executor.json'),
    JSON.stringify({ name: 'streamcert', type: 'streamcert', buildName: `${result.profile} ${result.runId}`, reportName: `streamcert ${result.runId}` }),
  );
  return { results: count };
}

export const ALLURE_HOW_TO =
  'the Allure command line was not found: it is a devDependency of streamcert (`npm install` puts it in node_modules/.bin/allure), or install it with `npm install -g allure-commandline`; it runs on Java 8 or newer';

/** The Allure command line: node_modules/.bin/allure (devDependency allure-commandline), else `allure` on PATH. */
export async function findAllureCli(): Promise<string | undefined> {
  const local = path.join(repoRoot, 'node_modules', '.bin', 'allure');
  if (existsSync(local)) return local;
  const onPath = await $({ nothrow: true, quiet: true })`command -v allure`;
  return onPath.exitCode === 0 ? onPath.stdout.trim() : undefined;
}

export class AllureUnavailableError extends Error {
  override name = 'AllureUnavailableError';
}

/** Builds runDir/allure-report from runDir/allure-results; returns the report's index.html. */
export async function generateAllureReport(runDir: string): Promise<string> {
  const cli = await findAllureCli();
  if (!cli) throw new AllureUnavailableError(ALLURE_HOW_TO);
  const java = await $({ nothrow: true, quiet: true })`java -version`;
  if (java.exitCode !== 0) throw new AllureUnavailableError(`${cli} needs Java (8 or newer) and \`java -version\` failed: install a JRE (e.g. apt-get install default-jre-headless)`);
  const out = path.join(runDir, ALLURE_REPORT);
  const run = await $({ nothrow: true, quiet: true })`${cli} generate ${path.join(runDir, ALLURE_RESULTS)} -o ${out} --clean`;
  if (run.exitCode !== 0) throw new Error(`allure generate failed (exit ${run.exitCode}): ${(run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n')}`);
  return path.join(out, 'index.html');
}
