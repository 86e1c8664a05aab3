// A small work queue in the manner of controller-runtime: keys, not events; one reconcile per key at
// a time (a key changed while being reconciled runs again right after); a reconcile may ask to be
// called again after a delay (for what cannot be watched: CQL logins, nodetool).
export type Reconcile = (key: string) => Promise<number | undefined>;

export class WorkQueue {
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly running = new Set<string>();
  private readonly again = new Set<string>();

  constructor(
    private readonly reconcile: Reconcile,
    private readonly onError: (key: string, err: unknown) => void,
    private readonly retryMs = 5_000,
  ) {}

  /** Schedules `key` after `delayMs` (an earlier schedule wins). */
  add(key: string, delayMs = 0): void {
    const at = Date.now() + delayMs;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.run(key);
    }, delayMs);
    this.timers.set(key, { at, timer });
  }

  private async run(key: string): Promise<void> {
    if (this.running.has(key)) {
      this.again.add(key);
      return;
    }
    this.running.add(key);
    try {
      const requeue = await this.reconcile(key);
      if (requeue !== undefined) this.add(key, requeue);
    } catch (err) {
      this.onError(key, err);
      this.add(key, this.retryMs);
    } finally {
      this.running.delete(key);
      if (this.again.delete(key)) this.add(key);
    }
  }
}
