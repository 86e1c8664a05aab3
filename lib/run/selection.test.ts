import { describe, expect, it } from 'vitest';
import { ExitCode } from '../errors.ts';
import { checkSelected, suitesWithSelectedChecks } from './selection.ts';

// Names as 04 and 01 declare them (04's variants are groups, shown `group: step`).
const declared = [
  { suite: '01-platform', name: 'the cluster answers' },
  { suite: '01-platform', name: 'nodes are Ready' },
  { suite: '04-jobmanager-ha', name: 'application: job is running and has checkpointed' },
  { suite: '04-jobmanager-ha', name: 'session: job is running and has checkpointed' },
];
const suites = ['01-platform', '04-jobmanager-ha'];

describe('--grep selection', () => {
  it('matches the name reports show, so an anchored pattern selects a group', () => {
    expect(checkSelected('application: job is running and has checkpointed', '^application')).toBe(true);
    expect(checkSelected('session: job is running and has checkpointed', '^application')).toBe(false);
    expect(suitesWithSelectedChecks(declared, suites, '^application')).toEqual(['04-jobmanager-ha']);
  });

  it('selects every check without a grep, and keeps the suites in run order', () => {
    expect(checkSelected('anything', undefined)).toBe(true);
    expect(suitesWithSelectedChecks(declared, suites, 'Ready|checkpointed')).toEqual(['01-platform', '04-jobmanager-ha']);
  });

  it('a grep that matches no check is a usage error (exit 2) naming the filter and what it was matched against', () => {
    let error: unknown;
    try {
      suitesWithSelectedChecks(declared, suites, '^04-jobmanager-ha');
    } catch (err) {
      error = err;
    }
    expect(error).toMatchObject({ exitCode: ExitCode.usage });
    expect((error as Error).message).toBe(
      '--grep "^04-jobmanager-ha" matches no check of 01-platform, 04-jobmanager-ha (4 checks; the pattern is matched against check names as reports show them, e.g. "the cluster answers", "nodes are Ready", "application: job is running and has checkpointed")',
    );
  });

  it('a grep that is not a regular expression is a usage error naming it', () => {
    expect(() => checkSelected('x', '(')).toThrow(/^--grep "\(" is not a regular expression: /);
  });
});
