// A failed check's reason as a person reads it. A judge's CheckFailed already carries exactly its
// reason. An `expect` failure carries the test runner's rendering as well ("…: expected [ Array(1) ] to
// deeply equal []", a diff): the reason keeps the message the check gave and says the values plainly.

/** The parts of vitest's serialized error (TestError, ErrorWithDiff) a reason is made from. */
export interface RunnerError {
  message: string;
  name?: string;
  actual?: unknown;
  expected?: unknown;
  /** vitest's rendered diff: never part of a reason. */
  diff?: string;
}

const compact = (text: string) => text.replace(/\s+/g, ' ').replace(/,\s*([\]}])/g, ' $1').trim();

/** What was expected and found, when the runner recorded both and they fit on a line. */
function values(e: RunnerError): string | undefined {
  if (typeof e.expected !== 'string' || typeof e.actual !== 'string') return undefined;
  const expected = compact(e.expected);
  const actual = compact(e.actual);
  return expected.length + actual.length <= 240 ? `expected ${expected}, found ${actual}` : undefined;
}

export function reasonOfError(e: RunnerError): string {
  const isAssertion = e.name === 'AssertionError' || 'actual' in e || 'expected' in e;
  if (!isAssertion) return e.message;
  // chai writes `${message given to expect}: expected … to …`; what follows the given message is its rendering.
  const cut = e.message.indexOf(': expected ');
  const given = cut >= 0 ? e.message.slice(0, cut) : /^expected /.test(e.message) ? '' : e.message.split('\n')[0]!;
  const seen = values(e);
  if (given && seen) return `${given} (${seen})`;
  if (given) return given;
  return seen ?? e.message.split('\n')[0]!;
}
