import { describe, expect, it } from 'vitest';
import { reasonOfError } from './failure-reason.ts';

// Errors as vitest serialized them in the reporter (TestCase.result().errors), recorded from runs of 01.
describe('a failed check reason', () => {
  it("keeps a judge's reason exactly", () => {
    const reason = 'Flink operator: expected 9.9.9, found 1.7.0 (label app.kubernetes.io/version of Deployment flink-operator/flink-kubernetes-operator)';
    expect(reasonOfError({ name: 'CheckFailed', message: reason })).toBe(reason);
  });

  it("drops vitest's rendering from an expect failure and says the values plainly", () => {
    expect(
      reasonOfError({
        name: 'AssertionError',
        message: 'nodes not Ready: sclab (KubeletNotReady): expected [ Array(1) ] to deeply equal []',
        actual: '[\n  "sclab (KubeletNotReady)",\n]',
        expected: '[]',
        diff: '- Expected\n+ Received\n\n- []\n+ [\n+   "sclab (KubeletNotReady)",\n+ ]',
      }),
    ).toBe('nodes not Ready: sclab (KubeletNotReady) (expected [], found [ "sclab (KubeletNotReady)" ])');
  });

  it('without a message given to expect, the values are the reason', () => {
    expect(reasonOfError({ name: 'AssertionError', message: 'expected 0 to be greater than 0', actual: '0', expected: '0' })).toBe('expected 0, found 0');
    expect(reasonOfError({ name: 'AssertionError', message: 'expected false to be true' })).toBe('expected false to be true');
  });

  it('leaves values out when they would not fit on a line', () => {
    const big = JSON.stringify(Array.from({ length: 60 }, (_, i) => `permission-${i}`));
    expect(reasonOfError({ name: 'AssertionError', message: `missing permissions: expected ${big} to deeply equal []`, actual: big, expected: '[]' })).toBe(
      'missing permissions',
    );
  });

  it('keeps any other error as it is (a timeout, an API error)', () => {
    expect(reasonOfError({ name: 'Error', message: 'Test timed out in 5000ms.' })).toBe('Test timed out in 5000ms.');
  });
});
