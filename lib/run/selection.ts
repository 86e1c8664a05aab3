// Which checks a `--grep` selects. The pattern is matched against a check's name as every report shows
// it (`group: step` inside a group, e.g. `application: the job restarts once`), never against vitest's
// internal full name (file, suite title and step joined), so `--grep '^application'` means what it says.
// A selection that matches nothing is a usage error naming the filter: a run that checks nothing must
// not end as if it had passed.
import { UsageError } from '../errors.ts';

export function grepPattern(grep: string): RegExp {
  try {
    return new RegExp(grep);
  } catch (err) {
    throw new UsageError(`--grep ${JSON.stringify(grep)} is not a regular expression: ${(err as Error).message}`);
  }
}

/** Whether the check named `name` is part of the run; every check is when there is no `--grep`. */
export function checkSelected(name: string, grep: string | undefined): boolean {
  return grep === undefined || grepPattern(grep).test(name);
}

export interface DeclaredCheck {
  /** `NN-name`. */
  suite: string;
  /** The check's name as reports show it. */
  name: string;
}

/** The suites that hold a check the grep selects, in the given order; a UsageError when there is none. */
export function suitesWithSelectedChecks(declared: DeclaredCheck[], suites: string[], grep: string, broken: string[] = []): string[] {
  // A suite file that could not be collected stays in, so the run reports why it is broken.
  const selected = new Set([...declared.filter((c) => checkSelected(c.name, grep)).map((c) => c.suite), ...broken]);
  if (selected.size === 0) {
    const examples = declared.slice(0, 3).map((c) => JSON.stringify(c.name)).join(', ');
    throw new UsageError(
      `--grep ${JSON.stringify(grep)} matches no check of ${suites.join(', ')} (${declared.length} checks; the pattern is matched against check names as reports show them${examples ? `, e.g. ${examples}` : ''})`,
    );
  }
  return suites.filter((s) => selected.has(s));
}
