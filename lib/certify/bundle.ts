// The certification bundle: one archive a platform owner can hand over, holding what a certification
// run decided and why: results.json, junit.xml, report.html, the evidence, the exact manifests applied,
// the environment fingerprint, the trend comparison when there was one, and SHA256SUMS listing the
// SHA-256 of every other file (in `sha256sum` format, so `sha256sum -c SHA256SUMS` works on the
// unpacked folder too). `verifyBundle` reads the archive without unpacking it and names every file
// that is missing, extra or changed. SHA256SUMS proves integrity, not origin: record the bundle's own
// SHA-256 (printed when it is written) where the bundle cannot be changed with it.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import type { RunResult } from '../results/model.ts';
import { runResultSchema } from '../results/schema.ts';
import { writeFileAtomic } from '../util/atomic-write.ts';
import { MANIFESTS_DIR } from './applied-manifests.ts';

export const SUMS_FILE = 'SHA256SUMS';
export const ENVIRONMENT_FILE = 'environment.json';
/** Files every bundle has; a bundle without one fails verification even if SHA256SUMS agrees. */
export const REQUIRED_FILES = ['results.json', 'junit.xml', 'report.html', ENVIRONMENT_FILE, SUMS_FILE] as const;
const OPTIONAL_FILES = ['comparison.json'];
const FOLDERS = ['evidence', MANIFESTS_DIR];

export function bundleName(result: Pick<RunResult, 'runId'>): string {
  return `certification-${result.runId}.tar.gz`;
}

export interface BundleInfo {
  file: string;
  /** SHA-256 of the archive itself, to record out of band. */
  sha256: string;
  bytes: number;
  /** Paths inside the bundle folder, SHA256SUMS last. */
  files: string[];
}

/**
 * Writes environment.json and SHA256SUMS into runDir, then `outDir/certification-<run-id>.tar.gz`
 * with everything under one folder `certification-<run-id>/`.
 */
export async function createBundle(runDir: string, result: RunResult, outDir: string): Promise<BundleInfo> {
  for (const required of REQUIRED_FILES.filter((f) => f !== SUMS_FILE && f !== ENVIRONMENT_FILE)) {
    if (!existsSync(path.join(runDir, required))) throw new Error(`cannot bundle ${runDir}: ${required} is missing`);
  }
  await writeFileAtomic(path.join(runDir, ENVIRONMENT_FILE), JSON.stringify(result.environment, null, 2) + '\n');
  const files = [
    ...REQUIRED_FILES.filter((f) => f !== SUMS_FILE),
    ...OPTIONAL_FILES.filter((f) => existsSync(path.join(runDir, f))),
    ...(await Promise.all(FOLDERS.map((d) => filesUnder(runDir, d)))).flat(),
  ];
  const sums: string[] = [];
  for (const f of files) sums.push(`${await sha256File(path.join(runDir, f))}  ${f}`);
  await writeFileAtomic(path.join(runDir, SUMS_FILE), sums.join('\n') + '\n');

  const top = path.basename(bundleName(result), '.tar.gz');
  const file = path.join(outDir, bundleName(result));
  await tar.c({ gzip: true, file, cwd: runDir, prefix: top, portable: true }, [...files, SUMS_FILE]);
  return { file, sha256: await sha256File(file), bytes: (await stat(file)).size, files: [...files, SUMS_FILE] };
}

export interface Verification {
  ok: boolean;
  file: string;
  /** The folder inside the archive, e.g. `certification-20261124-001502-a1b2`. */
  folder?: string;
  /** Listed in SHA256SUMS (or required) but not in the archive. */
  missing: string[];
  /** In the archive but not in SHA256SUMS. */
  extra: string[];
  /** Content differs from its SHA-256 in SHA256SUMS. */
  changed: string[];
  /** Anything else wrong: no SHA256SUMS, entries outside the folder, an unreadable results.json. */
  problems: string[];
  verifiedFiles: number;
  run?: Pick<RunResult, 'runId' | 'profile' | 'verdict' | 'startedAt'>;
}

/** Reads the archive (no extraction) and checks every file against SHA256SUMS. */
export async function verifyBundle(file: string): Promise<Verification> {
  const v: Verification = { ok: false, file, missing: [], extra: [], changed: [], problems: [], verifiedFiles: 0 };
  const hashes = new Map<string, string>();
  const contents = new Map<string, Buffer>();
  const folders = new Set<string>();
  try {
    await tar.t({
      file,
      onReadEntry: (entry) => {
        const name = entry.path.replace(/\/+$/, '');
        const [top, ...rest] = name.split('/');
        if (path.isAbsolute(entry.path) || name.split('/').includes('..')) {
          v.problems.push(`entry ${entry.path} points outside the bundle`);
          return;
        }
        if (entry.type === 'Directory') return;
        if (entry.type !== 'File' && entry.type !== 'OldFile') {
          v.problems.push(`entry ${entry.path} is a ${entry.type}, not a file`);
          return;
        }
        folders.add(top!);
        const inner = rest.join('/');
        const hash = createHash('sha256');
        const keep = inner === SUMS_FILE || inner === 'results.json';
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => {
          hash.update(chunk);
          if (keep) chunks.push(chunk);
        });
        entry.on('end', () => {
          if (hashes.has(inner)) v.problems.push(`${inner} appears twice in the archive`);
          hashes.set(inner, hash.digest('hex'));
          if (keep) contents.set(inner, Buffer.concat(chunks));
        });
      },
    });
  } catch (err) {
    v.problems.push(`cannot read ${file} as a .tar.gz: ${(err as Error).message}`);
    return v;
  }
  if (folders.size !== 1) v.problems.push(`expected one folder in the bundle, found ${folders.size === 0 ? 'none' : [...folders].join(', ')}`);
  v.folder = [...folders][0];

  const sums = contents.get(SUMS_FILE);
  if (!sums) {
    v.missing.push(SUMS_FILE);
  } else {
    const listed = new Map<string, string>();
    for (const [i, line] of sums.toString('utf8').split('\n').entries()) {
      if (line.trim() === '') continue;
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!m) v.problems.push(`${SUMS_FILE} line ${i + 1} is not "<sha256>  <path>": ${line.slice(0, 80)}`);
      else listed.set(m[2]!, m[1]!);
    }
    for (const [name, expected] of listed) {
      const actual = hashes.get(name);
      if (actual === undefined) v.missing.push(name);
      else if (actual !== expected) v.changed.push(name);
      else v.verifiedFiles += 1;
    }
    for (const name of hashes.keys()) if (name !== SUMS_FILE && !listed.has(name)) v.extra.push(name);
  }
  for (const required of REQUIRED_FILES) if (!hashes.has(required) && !v.missing.includes(required)) v.missing.push(required);

  const results = contents.get('results.json');
  if (results) {
    try {
      const parsed = runResultSchema.safeParse(JSON.parse(results.toString('utf8')));
      if (parsed.success) v.run = { runId: parsed.data.runId, profile: parsed.data.profile, verdict: parsed.data.verdict, startedAt: parsed.data.startedAt };
      else v.problems.push('results.json is not a streamcert results file');
    } catch {
      v.problems.push('results.json is not valid JSON');
    }
  }
  v.ok = v.missing.length === 0 && v.extra.length === 0 && v.changed.length === 0 && v.problems.length === 0;
  return v;
}

/** Lines a person reads: every failed file by name, then the verdict. */
export function describeVerification(v: Verification): string {
  const lines: string[] = [];
  for (const f of v.changed) lines.push(`✘ changed: ${f} (its SHA-256 differs from SHA256SUMS)`);
  for (const f of v.missing) lines.push(`✘ missing: ${f}`);
  for (const f of v.extra) lines.push(`✘ extra: ${f} (not in SHA256SUMS)`);
  for (const p of v.problems) lines.push(`✘ ${p}`);
  const run = v.run ? ` run ${v.run.runId}, profile ${v.run.profile}, verdict ${v.run.verdict.toUpperCase()}` : '';
  lines.push(v.ok ? `✔ ${v.file}: ${v.verifiedFiles} files match SHA256SUMS;${run}` : `✘ ${v.file} FAILED verification${run ? ` (${run.trim()})` : ''}`);
  return lines.join('\n') + '\n';
}

async function filesUnder(root: string, dir: string): Promise<string[]> {
  const abs = path.join(root, dir);
  if (!existsSync(abs)) return [];
  const entries = await readdir(abs, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort();
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
