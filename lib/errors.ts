// Errors that end a run with a specific exit code. Anything else that escapes is a bug (exit 70).

export const ExitCode = {
  passed: 0,
  checkFailed: 1,
  usage: 2,
  environmentNotReady: 3,
  /** `streamcert verify`: the certification bundle has a missing, extra or changed file. */
  verificationFailed: 4,
  interrupted: 130,
  internal: 70,
} as const;

/** Bad command-line usage or invalid configuration: nothing was sent to any cluster. */
export class UsageError extends Error {
  readonly exitCode = ExitCode.usage;
  override name = 'UsageError';
}

export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`invalid configuration (${source}):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** The target is not ready for a run: unreachable cluster, missing operator or CRDs, wrong credentials. */
export class EnvironmentError extends Error {
  readonly exitCode = ExitCode.environmentNotReady;
  override name = 'EnvironmentError';
}

export function exitCodeOf(err: unknown): number {
  if (err && typeof err === 'object' && 'exitCode' in err && typeof err.exitCode === 'number') return err.exitCode;
  return ExitCode.internal;
}
