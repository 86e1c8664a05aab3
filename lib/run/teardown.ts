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
  scope?: string;
}

export interface TeardownOptions {
  /**
   * Undos that share a scope (one Flink cluster and what runs in it) run in order, newest first; those
   * of different scopes do not depend on each other and run at the same time. An undo with no scope
   * (a namespace, a fixture's teardown) is a barrier: everything registered after it is undone first,
   * everything registered before it after.
   */
  scope?: string;
}

export class TeardownRegistry {
  private entries: Entry[] = [];
  /** Finalizers removed by force during this suite's teardown, in the order it happened. */
  readonly forcedRemovals: ForcedRemoval[] = [];
  /** Pass as `onForcedRemoval` to a deletion that may force. */
  readonly recordForcedRemoval = (removal: ForcedRemoval): void => {
    this.forcedRemovals.push(removal);
  };

  add(description: string, undo: () => Promise<unknown>, opts: TeardownOptions = {}): void {
    this.entries.push({ description, undo, scope: opts.scope });
  }

  get size(): number {
    return this.entries.length;
  }

  /** Runs every undo, newest first (scopes side by side); collects failures instead of stopping at the first. */
  async run(opts: { keep: boolean }): Promise<string[]> {
    const entries = this.entries.reverse();
    this.entries = [];
    if (opts.keep) {
      for (const e of entries) log.info(`kept (--keep): ${e.description}`);
      return [];
    }
    const failures: string[] = [];
    const undo = async (e: Entry): Promise<void> => {
      try {
        await e.undo();
        log.debug(`teardown: ${e.description}`);
      } catch (err) {
        failures.push(`${e.description}: ${(err as Error).message}`);
        log.warn(`teardown failed: ${e.description}: ${(err as Error).message}`);
      }
    };
    for (const stage of stages(entries)) {
      await Promise.all(stage.map(async (chain) => {
        for (const e of chain) await undo(e);
      }));
    }
    return failures;
  }
}

/**
 * Newest-first entries as stages run one after the other; a stage is either one barrier (no scope) or
 * the scoped entries between two barriers, as one chain per scope.
 */
function stages(entries: Entry[]): Entry[][][] {
  const result: Entry[][][] = [];
  let chains = new Map<string, Entry[]>();
  const close = (): void => {
    if (chains.size) result.push([...chains.values()]);
    chains = new Map();
  };
  for (const e of entries) {
    if (e.scope === undefined) {
      close();
      result.push([[e]]);
    } else {
      chains.set(e.scope, [...(chains.get(e.scope) ?? []), e]);
    }
  }
  close();
  return result;
}
