import { describe, expect, it, vi } from 'vitest';
import { RunSignals } from './signals.ts';

describe('RunSignals', () => {
  it('cancels once; a forwarded copy of the same Ctrl-C is not a second signal', () => {
    const cancel = vi.fn();
    const exit = vi.fn();
    const s = new RunSignals('r1', false, cancel, exit);
    s.receive('SIGINT', 1_000);
    s.receive('SIGINT', 1_200);
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(exit).not.toHaveBeenCalled();
  });
  it('a second signal does not abort the cleanup; a third abandons it and exits 130', () => {
    const exit = vi.fn();
    const s = new RunSignals('r1', false, () => undefined, exit);
    s.cleaningUp = true;
    s.receive('SIGINT', 0);
    s.receive('SIGTERM', 5_000);
    expect(exit).not.toHaveBeenCalled();
    s.receive('SIGINT', 9_000);
    expect(exit).toHaveBeenCalledWith(130);
  });
});
