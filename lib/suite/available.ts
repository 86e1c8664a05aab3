// Which catalog suites exist as files in this checkout.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog, type SuiteInfo } from './catalog.ts';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** Suites that exist as files; the catalog also lists ones a later release adds. */
export function availableSuites(): SuiteInfo[] {
  return catalog.filter((s) => existsSync(join(repoRoot, 'suites', `${s.id}.test.ts`)));
}
