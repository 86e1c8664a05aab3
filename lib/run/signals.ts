// Ctrl-C and CI cancellation during a run. The first SIGINT/SIGTERM cancels the suites; the run then
// removes what it created and exits 130. A terminal's Ctrl-C reaches every process of the group, and
// wrappers (npm, npx) forward it once more, so signals within a second of the first count as one.
// A real second signal during cleanup is acknowledged, not obeyed: cleanup goes on. A third abandons
// it, saying what is left and the command that finishes the job.
// Started through npm or npx, node runs under `sh -c`; a CI runner that signals only the top process
// (npm) ends npm and its shell but not node, which would run on unseen. Such a run is tied to its
// parent: when the parent goes away, that counts as a SIGTERM.
import { log } from '../log.ts';

const sameSignalWindowMs = 1_000;

export class RunSignals {
  /** Set once the run is removing what it created. */
  cleaningUp = false;
  private first?: number;
  private extra = 0;
  private readonly handler = (signal: NodeJS.Signals) => this.receive(signal);
  private parentWatch?: NodeJS.Timeout;

  constructor(
    private readonly runId: string,
    private readonly keep: boolean,
    private readonly cancel: () => void,
    private readonly exit: (code: number) => void = (code) => process.exit(code),
  ) {}

  install(env: NodeJS.ProcessEnv = process.env): void {
    process.on('SIGINT', this.handler);
    process.on('SIGTERM', this.handler);
    if (env['npm_command']) {
      const parent = process.ppid;
      this.parentWatch = setInterval(() => {
        if (process.ppid === parent) return;
        clearInterval(this.parentWatch);
        log.warn(`the npm process that started this run (pid ${parent}) has ended`);
        this.receive('SIGTERM');
      }, 1_000);
      this.parentWatch.unref();
    }
  }

  uninstall(): void {
    process.off('SIGINT', this.handler);
    process.off('SIGTERM', this.handler);
    clearInterval(this.parentWatch);
  }

  receive(signal: NodeJS.Signals, now = Date.now()): void {
    if (this.first === undefined) {
      this.first = now;
      log.warn(`${signal}: cancelling run ${this.runId}; ${this.keep ? 'leaving what it created (--keep)' : 'cleaning up what it created'}`);
      this.cancel();
      return;
    }
    if (now - this.first < sameSignalWindowMs) return;
    this.extra += 1;
    const finish = `\`streamcert cleanup --run ${this.runId}\``;
    if (this.extra === 1) {
      log.warn(
        `${signal} again: ${this.cleaningUp ? 'the cleanup' : 'the cancellation'} of run ${this.runId} goes on so nothing is left behind; ` +
          `a third signal abandons it (then finish with ${finish})`,
      );
      return;
    }
    log.warn(`${signal} a third time: cleanup of run ${this.runId} abandoned; what it created may still exist (labelled streamcert.io/run-id=${this.runId}): finish with ${finish}`);
    this.exit(130);
  }
}
