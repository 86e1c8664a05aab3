// Teardown registry: what a suite creates, it registers an undo for, run in reverse order after the
// suite whatever happened (failure, timeout). `--keep` leaves everything for debugging; objects are
// labelled with the run id so `streamcert cleanup --run <id>` can remove them later.
import { log } from '../log.ts';

interface Entry {
  description: string;
  undo: () => Promise<unknown>;
}

export class TeardownRegistry {
  private entries: Entry[] = [];

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
