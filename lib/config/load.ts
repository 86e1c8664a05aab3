// Builds the effective configuration: file, then environment, then CLI flags, each overriding the
// one before, validated once by the schema. Every problem is reported together with where the bad
// value came from, so one run of `streamcert config` shows everything to fix.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { configSchema, type StreamcertConfig } from './schema.ts';

export const defaultConfigFile = 'streamcert.config.yaml';

/** Environment variables that steer the tool itself rather than set a config value. */
const reservedEnv = new Set(['STREAMCERT_CONFIG', 'STREAMCERT_HOME', 'STREAMCERT_DEBUG', 'STREAMCERT_SELFTEST_FAULTS', 'STREAMCERT_RUN_CONTEXT', 'STREAMCERT_RECORD_OBSERVATIONS']);

export interface ConfigSources {
  /** Explicit config file path (`--config`); otherwise STREAMCERT_CONFIG, otherwise ./streamcert.config.yaml if present. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** `path=value` pairs from `--set` and the flag shorthands, in order. */
  sets?: string[];
  cwd?: string;
}

export interface LoadedConfig {
  config: StreamcertConfig;
  /** The config file that was read, if any. */
  file?: string;
  /** Where each explicitly set value came from, by dotted path. */
  origins: Map<string, string>;
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, path: string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === undefined || next === null || typeof next !== 'object' || Array.isArray(next)) node[key] = {};
    node = node[key] as Tree;
  }
  node[path[path.length - 1]!] = value;
}

function recordOrigins(value: unknown, prefix: string, origin: string, origins: Map<string, string>): void {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) recordOrigins(v, prefix ? `${prefix}.${k}` : k, origin, origins);
  } else {
    origins.set(prefix, origin);
  }
}

/** A value given as text (env or flag) is read as YAML, so `3`, `true` and `[1, 2]` get their types. */
function scalar(text: string): unknown {
  try {
    const value: unknown = parseYaml(text);
    // `1.20` must stay `1.20` (a version), not become the number 1.2.
    if (typeof value === 'number' && String(value) !== text.trim()) return text;
    return value;
  } catch {
    return text;
  }
}

const camel = (snake: string) => snake.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `STREAMCERT_FLINK_CLUSTER__KUBECONFIG` → `flinkCluster.kubeconfig`: `__` nests, `_` joins words. */
export function envPath(name: string): string[] | undefined {
  if (!name.startsWith('STREAMCERT_') || reservedEnv.has(name)) return undefined;
  return name.slice('STREAMCERT_'.length).split('__').map(camel);
}

function describeIssue(issue: z.core.$ZodIssue, origins: Map<string, string>): string[] {
  const where = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((k) => {
      const path = where ? `${where}.${k}` : k;
      const from = origins.get(path);
      return `${path}: unknown setting${from ? ` (from ${from})` : ''}`;
    });
  }
  const from = [...origins.entries()].find(([p]) => p === where || p.startsWith(`${where}.`))?.[1];
  return [`${where || '(top level)'}: ${issue.message}${from ? ` (from ${from})` : ''}`];
}

export function loadConfig(sources: ConfigSources = {}): LoadedConfig {
  const env = sources.env ?? process.env;
  const cwd = sources.cwd ?? process.cwd();
  const origins = new Map<string, string>();
  const merged: Tree = {};
  const problems: string[] = [];

  const explicit = sources.file ?? env.STREAMCERT_CONFIG;
  const file = explicit ? resolve(cwd, explicit) : resolve(cwd, defaultConfigFile);
  let fileRead: string | undefined;
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new ConfigError([`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`], file);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new ConfigError([`${file}: the top level must be a mapping of settings`], file);
      }
      Object.assign(merged, parsed);
      recordOrigins(parsed, '', file, origins);
    }
    fileRead = file;
  } else if (explicit) {
    throw new ConfigError([`config file not found: ${file}`], file);
  }

  for (const [name, value] of Object.entries(env)) {
    const path = envPath(name);
    if (!path || value === undefined) continue;
    setPath(merged, path, scalar(value));
    origins.set(path.join('.'), `env ${name}`);
  }

  for (const pair of sources.sets ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      problems.push(`--set ${pair}: expected path=value, e.g. --set flink.image=flink:1.20`);
      continue;
    }
    const path = pair.slice(0, eq).split('.');
    setPath(merged, path, scalar(pair.slice(eq + 1)));
    origins.set(path.join('.'), `--set ${pair.slice(0, eq)}`);
  }

  const result = configSchema.safeParse(merged);
  if (!result.success) problems.push(...result.error.issues.flatMap((i) => describeIssue(i, origins)));
  if (problems.length > 0 || !result.success) {
    throw new ConfigError(problems, fileRead ?? 'defaults, environment and flags');
  }
  return { config: result.data, file: fileRead, origins };
}

const secretKeys = /pass(word)?|secret|token|credential/i;

/** A copy of `value` with every secret-looking field replaced, for printing and reports. */
export function maskSecrets<T>(value: T): T {
  if (Array.isArray(value)) return value.map(maskSecrets) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        secretKeys.test(k) && v !== undefined ? (typeof v === 'object' ? maskDeep(v) : '******') : maskSecrets(v),
      ]),
    ) as T;
  }
  return value;
}

function maskDeep(value: unknown): unknown {
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === 'username' ? v : '******']));
  }
  return '******';
}
