import { describe, expect, it } from 'vitest';
import { judgeExpectedVersion } from './expected-version.ts';

describe('judgeExpectedVersion', () => {
  const where = 'GET /config flink-version';
  it('passes on a match and when nothing is expected', () => {
    expect(judgeExpectedVersion({ what: 'Flink', expected: '1.18.1', found: '1.18.1', where }).ok).toBe(true);
    expect(judgeExpectedVersion({ what: 'Flink', found: '1.18.1', where }).ok).toBe(true);
  });
  it('fails naming found vs expected, and when nothing could be read', () => {
    expect(judgeExpectedVersion({ what: 'Flink', expected: '1.19.0', found: '1.18.1', where })).toEqual({
      ok: false,
      reason: 'Flink: expected 1.19.0, found 1.18.1 (GET /config flink-version)',
    });
    expect(judgeExpectedVersion({ what: 'Flink', expected: '1.19.0', where }).ok).toBe(false);
  });
});
