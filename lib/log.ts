// One place for human-facing progress output. It goes to stderr so that stdout stays clean for
// machine-readable output (`streamcert config`, `plan`, `list --json`).
const started = Date.now();

function stamp(): string {
  const s = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
  return `[${s}s]`;
}

export const log = {
  info(msg: string): void {
    process.stderr.write(`${stamp()} ${msg}\n`);
  },
  step(msg: string): void {
    process.stderr.write(`${stamp()} ▶ ${msg}\n`);
  },
  warn(msg: string): void {
    process.stderr.write(`${stamp()} ⚠ ${msg}\n`);
  },
  /** Debug output, shown only with STREAMCERT_DEBUG=1. */
  debug(msg: string): void {
    if (process.env.STREAMCERT_DEBUG === '1') process.stderr.write(`${stamp()} · ${msg}\n`);
  },
};
