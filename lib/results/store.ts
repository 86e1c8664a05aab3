// Reading and writing results.json and the reports/ folder around it. Writes go through a temp file and
// a rename so that a run killed mid-write (Ctrl-C, CI timeout) never leaves a half-written results.json
// or a `latest` link pointing nowhere: readers see the old file or the new one, nothing in between.
import { mkdir, readdir, readFile, rename, rm, stat, symlink } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { RunResult, Verdict } from './model.ts';
import { runResultSchema } from './schema.ts';
import { tempSibling, writeFileAtomic } from '../util/atomic-write.ts';

export const RESULTS_FILE = 'results.json';
export const LATEST_LINK = 'latest';

/** A results.json that cannot be used: missing, not JSON, or not the shape of model.ts. */
export class RunResultError extends Error {
  constructor(
    readonly file: string,
    message: string,
    /** One line per bad field, `suites[1].checks[0].verdict: Invalid option: ...`. */
    readonly problems: string[] = [],
  ) {
    super(message);
    this.name = 'RunResultError';
  }
}

/**
 * Validates `result` and writes it to `<dir>/results.json` (pretty JSON). Validation happens here too,
 * because a file that readRunResult would later refuse is worse than a loud failure now.
 * Returns the path written.
 */
export async function writeRunResult(dir: string, result: RunResult): Promise<string> {
  const file = path.join(dir, RESULTS_FILE);
  const parsed = runResultSchema.safeParse(result);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    throw new RunResultError(file, `refusing to write an invalid ${RESULTS_FILE} to ${dir}:\n  ${problems.join('\n  ')}`, problems);
  }
  await writeFileAtomic(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}

/** Reads and validates a results.json (or a run folder holding one). Throws RunResultError naming the bad fields. */
export async function readRunResult(fileOrDir: string): Promise<RunResult> {
  const file = (await isDirectory(fileOrDir)) ? path.join(fileOrDir, RESULTS_FILE) : fileOrDir;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RunResultError(file, code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file}: ${String(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RunResultError(file, `${file} is not valid JSON: ${(err as Error).message}`);
  }
  // A newer or older format deserves its own message rather than a list of missing fields.
  const version = (json as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (json !== null && typeof json === 'object' && version !== undefined && version !== 1) {
    throw new RunResultError(file, `${file} has schemaVersion ${JSON.stringify(version)}; this streamcert reads schemaVersion 1`);
  }
  const parsed = runResultSchema.safeParse(json);
  if (!parsed.success) {
    const problems = describeIssues(parsed.error);
    throw new RunResultError(file, `${file} is not a streamcert results file:\n  ${problems.join('\n  ')}`, problems);
  }
  // Return the parsed value (unknown keys stripped), so what the reports see is exactly model.ts.
  return parsed.data;
}

/**
 * Points `<reportsRoot>/latest` at `runDir`. The link is relative when the run lives under reportsRoot,
 * so the whole reports folder can be moved or archived (CI artifacts) and still resolve.
 */
export async function updateLatestLink(reportsRoot: string, runDir: string): Promise<string> {
  const link = path.join(reportsRoot, LATEST_LINK);
  const relative = path.relative(path.resolve(reportsRoot), path.resolve(runDir));
  const target = relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(runDir) : relative;
  await mkdir(reportsRoot, { recursive: true });
  const tmp = tempSibling(link);
  await symlink(target, tmp, 'dir');
  try {
    // rename(2) replaces an existing symlink in one step; it refuses (EISDIR/ENOTEMPTY) if `latest`
    // is a real folder, which we must not delete on the user's behalf.
    await rename(tmp, link);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new Error(`cannot point ${link} at ${runDir}: ${(err as Error).message}`, { cause: err });
  }
  return link;
}

export interface RunEntry {
  runId: string;
  /** The run's report folder. */
  dir: string;
  /** From results.json; the folder's modification time when results.json is missing or unreadable. */
  startedAt: string;
  verdict?: Verdict;
  /** Why results.json could not be used (a run still going, killed, or a foreign folder). */
  problem?: string;
}

/** The run folders under reportsRoot, newest first. Folders without a usable results.json are listed with `problem`. */
export async function listRuns(reportsRoot: string): Promise<RunEntry[]> {
  let names: string[];
  try {
    names = await readdir(reportsRoot);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const entries: RunEntry[] = [];
  for (const name of names) {
    // `latest` is a link to a run already listed; dot-files are temp files and .gitkeep.
    if (name === LATEST_LINK || name.startsWith('.')) continue;
    const dir = path.join(reportsRoot, name);
    const info = await stat(dir).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    try {
      const result = await readRunResult(path.join(dir, RESULTS_FILE));
      entries.push({ runId: result.runId, dir, startedAt: result.startedAt, verdict: result.verdict });
    } catch (err) {
      entries.push({ runId: name, dir, startedAt: info.mtime.toISOString(), problem: (err as Error).message });
    }
  }
  return entries.sort(
    (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || b.runId.localeCompare(a.runId),
  );
}

/** `suites[1].checks[0].verdict: Invalid option: expected one of "passed"|"failed"|"skipped"`. */
function describeIssues(error: z.ZodError): string[] {
  const lines = error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
  // A foreign file can fail on every field; the first few say enough.
  return lines.length > 12 ? [...lines.slice(0, 12), `... and ${lines.length - 12} more`] : lines;
}

function formatPath(segments: readonly PropertyKey[]): string {
  if (segments.length === 0) return '(top level)';
  return segments
    .map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? String(s) : `.${String(s)}`))
    .join('');
}


async function isDirectory(p: string): Promise<boolean> {
  return (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
