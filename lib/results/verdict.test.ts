import { describe, expect, it } from 'vitest';
import { blockedBy, decideSuite, overallVerdict, stepBlocker, suiteVerdict, type CheckOutcome } from './verdict.ts';

const passed = (name: string): CheckOutcome => ({ name, verdict: 'passed' });
const failed = (name: string, reason: string): CheckOutcome => ({ name, verdict: 'failed', reason });
const skipped = (name: string, reason: string): CheckOutcome => ({ name, verdict: 'skipped', reason });
const refused = (name: string, reason: string): CheckOutcome => ({
  name,
  verdict: 'failed',
  reason: `not run (certification does not allow skips): ${reason}`,
  refusedSkip: true,
});

describe('a suite verdict from its checks', () => {
  it('passes when its checks passed (skips with a reason do not spoil it) and holds back nobody', () => {
    expect(decideSuite({ checks: [passed('the cluster answers'), skipped('the operator webhook answers when enabled', 'the operator webhook is not enabled on this cluster')] })).toEqual({
      verdict: 'passed',
      blocksDependents: false,
    });
  });

  it('fails on a failed check, naming it with the first line of its reason, and holds back its dependents', () => {
    const d = decideSuite({
      checks: [passed('the cluster answers'), failed('nodes are Ready', 'nodes not Ready: sclab (KubeletNotReady)\nmore detail'), skipped('later', 'earlier step failed: nodes are Ready')],
    });
    expect(d).toEqual({ verdict: 'failed', reason: 'nodes are Ready: nodes not Ready: sclab (KubeletNotReady)', blocksDependents: true });
  });

  it('fails when teardown left something behind, even though every check passed', () => {
    expect(decideSuite({ checks: [passed('a')], teardownFailures: ['namespace sc-x-02: still Terminating after 120 s'] })).toEqual({
      verdict: 'failed',
      reason: 'teardown: namespace sc-x-02: still Terminating after 120 s',
      blocksDependents: true,
    });
    // The reporter sees the same failure as the afterAll error: one decision either way.
    expect(decideSuite({ checks: [passed('a'), failed('teardown', 'teardown incomplete:\nnamespace sc-x-02: still Terminating after 120 s')] }).reason).toBe(
      'teardown: teardown incomplete: namespace sc-x-02: still Terminating after 120 s',
    );
  });

  it('an empty suite (no check ran) never passes: skipped, or failed under certification', () => {
    expect(decideSuite({ checks: [] })).toEqual({ verdict: 'skipped', reason: 'no check ran', blocksDependents: true });
    expect(decideSuite({ checks: [], strict: true })).toEqual({
      verdict: 'failed',
      reason: 'not run (certification does not allow skips): no check ran',
      blocksDependents: true,
    });
  });

  it('all checks skipped: skipped with the first reason, and dependents are held back (nothing was shown)', () => {
    expect(decideSuite({ checks: [skipped('a', 'no Grafana configured'), skipped('b', 'no Grafana configured')] })).toEqual({
      verdict: 'skipped',
      reason: 'no Grafana configured',
      blocksDependents: true,
    });
  });

  describe('prerequisites', () => {
    it('a suite blocked by its needs is skipped with the reason, and holds back its own dependents', () => {
      const blocked = 'prerequisite 01-platform failed';
      expect(decideSuite({ checks: [skipped('a', blocked)], blockedBy: blocked })).toEqual({ verdict: 'skipped', reason: blocked, blocksDependents: true });
    });

    it('under certification a blocked suite fails (its checks were refused skips), still holding back its dependents', () => {
      const blocked = 'prerequisite 01-platform failed';
      expect(decideSuite({ checks: [refused('a', blocked)], blockedBy: blocked, strict: true })).toEqual({
        verdict: 'failed',
        reason: `not run (certification does not allow skips): ${blocked}`,
        blocksDependents: true,
      });
    });

    it('blockedBy names every prerequisite that failed or was skipped; passed ones and refused-skip failures do not block', () => {
      expect(blockedBy(['01-platform'], {})).toBeUndefined();
      expect(blockedBy(['01-platform'], { '01-platform': { verdict: 'passed', blocks: false } })).toBeUndefined();
      expect(blockedBy(['01-platform', '07-k8ssandra'], { '01-platform': { verdict: 'failed', blocks: true }, '07-k8ssandra': { verdict: 'skipped', blocks: true } })).toBe(
        'prerequisite 01-platform failed, 07-k8ssandra skipped',
      );
      expect(blockedBy(['01-platform'], { '01-platform': { verdict: 'failed', blocks: false } })).toBeUndefined();
    });

    it('what the worker records for a suite is what blocks the next one', () => {
      const first = decideSuite({ checks: [passed('a'), failed('b', 'x')] });
      expect(blockedBy(['01-platform'], { '01-platform': { verdict: first.verdict, blocks: first.blocksDependents } })).toBe('prerequisite 01-platform failed');
      const ok = decideSuite({ checks: [passed('a')] });
      expect(blockedBy(['01-platform'], { '01-platform': { verdict: ok.verdict, blocks: ok.blocksDependents } })).toBeUndefined();
    });
  });

  describe('refused skips (certification)', () => {
    it('a refused skip fails the suite but does not hold back its dependents: it found no fault', () => {
      const d = decideSuite({
        checks: [passed('the cluster answers'), refused('the operator webhook answers when enabled', 'the operator webhook is not enabled on this cluster')],
        strict: true,
      });
      expect(d).toEqual({
        verdict: 'failed',
        reason: 'the operator webhook answers when enabled: not run (certification does not allow skips): the operator webhook is not enabled on this cluster',
        blocksDependents: false,
      });
    });

    it('a real failure beside refused skips names the real one and holds back dependents', () => {
      const d = decideSuite({ checks: [refused('webhook', 'not enabled'), failed('nodes are Ready', 'nodes not Ready: n1')], strict: true });
      expect(d).toEqual({ verdict: 'failed', reason: 'nodes are Ready: nodes not Ready: n1', blocksDependents: true });
    });

    it('under certification a check still marked skipped counts as refused', () => {
      expect(decideSuite({ checks: [passed('a'), skipped('b', 'no Grafana configured')], strict: true })).toEqual({
        verdict: 'failed',
        reason: 'b: not run (certification does not allow skips): no Grafana configured',
        blocksDependents: false,
      });
    });
  });

  describe('groups (independent variants)', () => {
    // 04 as it runs when the session variant fails: application still ran and passed.
    const checks = [
      passed('application: job is running and has checkpointed'),
      passed('application: JobManager killed and recovered'),
      failed('session: job is running and has checkpointed', 'job not RUNNING within 300 s (state CREATED)'),
      skipped('session: JobManager killed and recovered', 'earlier step failed: session: job is running and has checkpointed'),
    ];
    it('a failed variant fails the suite with its own reason', () => {
      expect(decideSuite({ checks })).toEqual({
        verdict: 'failed',
        reason: 'session: job is running and has checkpointed: job not RUNNING within 300 s (state CREATED)',
        blocksDependents: true,
      });
    });

    it('a failed variant skips only the rest of its own group, never another group', () => {
      const failedInGroup = new Map([['session', 'earlier step failed: session: job is running and has checkpointed']]);
      expect(stepBlocker({ failedInGroup }, 'application')).toBeUndefined();
      expect(stepBlocker({ failedInGroup }, 'session')).toBe('earlier step failed: session: job is running and has checkpointed');
      // An ungrouped step after the groups stands on all of them.
      expect(stepBlocker({ failedInGroup })).toBe('earlier step failed: session: job is running and has checkpointed');
    });

    it('an ungrouped failure stops every later step, grouped or not', () => {
      const p = { failedStep: 'the cluster answers', failedInGroup: new Map<string, string>() };
      expect(stepBlocker(p, 'application')).toBe('earlier step failed: the cluster answers');
      expect(stepBlocker(p)).toBe('earlier step failed: the cluster answers');
      expect(stepBlocker({ failedInGroup: new Map() }, 'application')).toBeUndefined();
      expect(stepBlocker({ ...p, independent: true }), 'a suite of independent checks (01) runs every step').toBeUndefined();
    });
  });

  it('suiteVerdict (results.json read back) agrees with the full decision on the checks alone', () => {
    expect(suiteVerdict([])).toBe('skipped');
    expect(suiteVerdict([{ verdict: 'skipped' }])).toBe('skipped');
    expect(suiteVerdict([{ verdict: 'passed' }, { verdict: 'skipped' }])).toBe('passed');
    expect(suiteVerdict([{ verdict: 'passed' }, { verdict: 'failed' }])).toBe('failed');
  });

  it('a run failed if any suite failed, passed if one passed and none failed, else skipped', () => {
    expect(overallVerdict([{ verdict: 'passed' }, { verdict: 'failed' }])).toBe('failed');
    expect(overallVerdict([{ verdict: 'passed' }, { verdict: 'skipped' }])).toBe('passed');
    expect(overallVerdict([{ verdict: 'skipped' }])).toBe('skipped');
    expect(overallVerdict([])).toBe('skipped');
  });
});
