// docs/nightly.github-actions.yml is what users copy: it must be valid YAML, and every streamcert
// command and flag it uses must exist, so the sample cannot silently rot as the CLI changes.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildProgram } from './main.ts';

const file = fileURLToPath(new URL('../../docs/nightly.github-actions.yml', import.meta.url));

describe('docs/nightly.github-actions.yml', () => {
  const workflow = parse(readFileSync(file, 'utf8')) as { jobs: Record<string, { steps: { run?: string }[] }> };
  const calls = Object.values(workflow.jobs)
    .flatMap((j) => j.steps.map((s) => s.run ?? ''))
    .flatMap((script) => [...script.matchAll(/npx streamcert (\S+)([^\n]*)/g)].map((m) => ({ command: m[1]!, flags: [...m[2]!.matchAll(/(--[a-z-]+)/g)].map((f) => f[1]!) })));

  it('runs the nightly profile, builds the Allure report and verifies the certification bundle', () => {
    expect(calls.map((c) => c.command)).toEqual(['run', 'report', 'verify']);
    expect(readFileSync(file, 'utf8')).toContain("PROFILE: ${{ inputs.profile || 'nightly' }}");
  });

  it('uses only commands and flags the command line has', () => {
    const program = buildProgram();
    for (const call of calls) {
      const command = program.commands.find((c) => c.name() === call.command);
      expect(command, `streamcert ${call.command}`).toBeDefined();
      const known = command!.options.map((o) => o.long);
      for (const flag of call.flags) expect(known, `streamcert ${call.command} ${flag}`).toContain(flag);
    }
  });
});
