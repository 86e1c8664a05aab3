// The checks the selected suites declare, read by collecting the suite files without running them, so
// a `--grep` is resolved against the real names (which may depend on the config, e.g. 06's
// parallelisms) before anything talks to a cluster.
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { StreamcertConfig } from '../config/schema.ts';
import { repoRoot } from '../suite/available.ts';
import { newRunId, removeRunContext, runContextEnv, writeRunContext } from './context.ts';
import type { DeclaredCheck } from './selection.ts';

/** How vitest is pointed at the suite files: once, for collecting them here and for running them. */
export const suitesProject = { root: repoRoot, config: join(repoRoot, 'vitest.config.ts'), project: 'suites', run: true, watch: false } as const;

export interface Declared {
  checks: DeclaredCheck[];
  /** Suites whose file could not be collected: they stay selected, so the run reports why. */
  broken: string[];
}

export async function declaredChecks(config: StreamcertConfig, suiteIds: string[]): Promise<Declared> {
  // Suite files read the run context while they declare their steps; this one selects every check.
  const file = writeRunContext({
    runId: `collect-${newRunId()}`,
    profile: 'default',
    config,
    reportDir: join(tmpdir(), 'streamcert-collect'),
    startedAt: new Date().toISOString(),
    strict: false,
  });
  const previous = process.env[runContextEnv];
  process.env[runContextEnv] = file;
  try {
    const { createVitest } = await import('vitest/node');
    const vitest = await createVitest('test', {
      ...suitesProject,
      reporters: [],
      // Only declarations are read: one module graph for all files is enough, and far faster than one each.
      isolate: false,
    });
    try {
      const { testModules } = await vitest.collect(suiteIds.map((id) => `suites/${id}.test.ts`));
      const checks: DeclaredCheck[] = [];
      const broken: string[] = [];
      for (const module of testModules) {
        const suite = basename(module.moduleId).replace(/\.test\.ts$/, '');
        if (module.errors().length > 0) broken.push(suite);
        for (const test of module.children.allTests()) checks.push({ suite, name: test.name });
      }
      return { checks, broken };
    } finally {
      await vitest.close();
    }
  } finally {
    if (previous === undefined) delete process.env[runContextEnv];
    else process.env[runContextEnv] = previous;
    removeRunContext(file);
  }
}
