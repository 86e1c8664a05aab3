// judgeSamplesAround on each of its sides. The samples are shaped as
// sampler() takes them in the lab's apiserver-restart tests: one read every 250 ms (Date.now() stamps),
// a CQL release version as the answer, failures from the apiserver's stop until the client reconnects.
import { describe, expect, it } from 'vitest';
import { judgeSamplesAround, type Outage, type Sample } from './control-path-faults.ts';

const expected = '4.1.7';
const t0 = 1_764_670_740_000;
const outage: Outage = { down: t0 + 1_500, up: t0 + 4_200 };
const refused = 'connect ECONNREFUSED 127.0.0.1:39042';
// 0 … 7.75 s: answers until the stop, failures through the outage and until 5.0 s (0.8 s after it is back), answers again.
const samples = (answer: (at: number) => Sample<string>): Sample<string>[] => Array.from({ length: 32 }, (_, i) => answer(t0 + i * 250));
const around: Sample<string>[] = samples((at) => (at < outage.down || at >= t0 + 5_000 ? { at, value: expected } : { at, error: refused }));
const judge = (s: Sample<string>[]) => judgeSamplesAround(s, outage, expected);
const expectation = `expected right answers ("${expected}") before and after it, failures only until the client answered again`;
const window = 'apiserver down at 2025-12-02T10:19:01.500Z, answering /readyz at 2025-12-02T10:19:04.200Z';
const failing = (problems: string, seen: string) => ({ ok: false, reason: `samples around the outage: ${expectation}; ${problems} (${seen}; ${window})` });

describe('judgeSamplesAround', () => {
  it('passes: answers before, failures only from the stop to the reconnection, right answers after', () => {
    expect(judge(around)).toEqual({
      ok: true,
      reason: `samples around the outage: every answer "${expected}", failures only until the client answered again (32 samples, 14 failed; answering again 0.8 s after the apiserver; ${window})`,
    });
  });

  it('passes when the client never noticed the outage', () => {
    expect(judge(samples((at) => ({ at, value: expected })))).toMatchObject({ ok: true, reason: expect.stringContaining('32 samples, 0 failed; answering again 0.1 s after the apiserver') });
  });

  it('fails on no samples at all: no answer before, none after', () => {
    expect(judge([])).toEqual(failing('no answer before the outage; no answer after the outage', '0 samples, 0 failed; answering again never'));
  });

  it('fails when nothing answered before the outage', () => {
    const s = around.map((x) => (x.at < outage.down ? { at: x.at, error: refused } : x));
    expect(judge(s)).toEqual(failing(`no answer before the outage; 6 failure(s) outside the outage, e.g. ${refused}`, '32 samples, 20 failed; answering again 0.8 s after the apiserver'));
  });

  it('fails when nothing answered after the apiserver was back', () => {
    const s = around.map((x) => (x.at > outage.up ? { at: x.at, error: refused } : x));
    expect(judge(s)).toEqual(failing('no answer after the outage', '32 samples, 26 failed; answering again never'));
  });

  it('fails naming the count and the first wrong answer', () => {
    const s = around.map((x) => (x.at === t0 + 6_000 || x.at === t0 + 500 ? { at: x.at, value: '3.11.17' } : x));
    expect(judge(s)).toEqual(failing('2 wrong answer(s), e.g. "3.11.17"', '32 samples, 14 failed; answering again 0.8 s after the apiserver'));
  });

  it('fails on a failure before the apiserver stopped', () => {
    const s = around.map((x) => (x.at === t0 + 750 ? { at: x.at, error: 'Operation timed out' } : x));
    expect(judge(s)).toEqual(failing('1 failure(s) outside the outage, e.g. Operation timed out', '32 samples, 15 failed; answering again 0.8 s after the apiserver'));
  });

  it('fails on a failure after the client had answered again', () => {
    const s = around.map((x) => (x.at === t0 + 7_000 ? { at: x.at, error: refused } : x));
    expect(judge(s)).toEqual(failing(`1 failure(s) outside the outage, e.g. ${refused}`, '32 samples, 15 failed; answering again 0.8 s after the apiserver'));
  });

  it('names every problem at once', () => {
    const s = [{ at: t0 + 250, error: refused }, { at: t0 + 3_000, value: 'wrong' }];
    expect(judge(s)).toEqual(failing(`no answer before the outage; no answer after the outage; 1 wrong answer(s), e.g. "wrong"; 1 failure(s) outside the outage, e.g. ${refused}`, '2 samples, 1 failed; answering again never'));
  });
});
