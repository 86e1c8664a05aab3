// Teardown registry: what a suite creates, it registers an undo for, run in reverse order after the
// suite whatever happened (failure, timeout). `--keep` leaves everything for debugging; objects are
// labelled with the run id so `streamcert cleanup --run <id>` can remove them later.
// Only teardown may force a deletion (remove finalizers an operator did not let go of); every forcing
// is kept here so the suite's results, and so its report, say the cluster was cleaned by force.
import { log } from '../log.ts';
import type { ForcedRemoval } from '../results/model.ts';

interface Entry {
  description: string;
  undo: () => Promise<unknown>;
}

export class TeardownRegistry {
  private entries: Entry[] = [];
  /** Finalizers removed by force during this suite's teardown, in the order it happened. */
  readonly forcedRemovals: ForcedRemoval[] = [];
  /** Pass as `onForcedRemoval` to a deletion that may force. */
  readonly recordForcedRemoval = (removal: ForcedRemoval): void => {
    this.forcedRemovals.push(removal);
  };

  add(description: string, undo: () => Promise<unknown>): void {
    this.entries.push({ description, undo });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every undo, newest first; collects failures instead of stopping at the first. */
  async run(opts: { keep: boolean }): Promise<string[]> {
    const entries = this.entries.reverse();
    this.entries = [];
    if (opts.keep) {
      for (const e of entries) log.info(`kept (--keep): ${e.description}`);
      return [];
    }
    const failures: string[] = [];
    for (const e of entries) {
      try {
        await e.undo();
        log.debug(`teardown: ${e.description}`);
      } catch (err) {
        failures.push(`${e.description}: ${(err as Error).message}`);
        log.warn(`teardown failed: ${e.description}: ${(err as Error).message}`);
      }
    }
    return failures;
  }
}
