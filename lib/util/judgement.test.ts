import { describe, expect, it } from 'vitest';
import { allOf, CheckFailed, fail, holds, pass } from './judgement.ts';

describe('judgement', () => {
  it('holds returns a passing judgement and throws the reason alone for a failing one', () => {
    expect(holds(pass('2 of 2 running')).reason).toBe('2 of 2 running');
    expect(() => holds(fail('expected 2 RUNNING jobs, saw 0 (GET /jobs/overview)'))).toThrowError(
      new CheckFailed('expected 2 RUNNING jobs, saw 0 (GET /jobs/overview)'),
    );
  });

  it('allOf fails on the first failing judgement and passes with every reason', () => {
    expect(allOf(pass('a'), fail('b'), fail('c'))).toEqual({ ok: false, reason: 'b' });
    expect(allOf(pass('a'), pass('b'))).toEqual({ ok: true, reason: 'a; b' });
  });
});
