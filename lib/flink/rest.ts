// A typed client for the Flink REST API (JobManager port 8081), covering what the suites assert on.
// Field names follow Flink's JSON, which mixes kebab-case and snake_case; parsing keeps the raw
// names at the edge and exposes camelCase values to the suites.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { retryIdempotent } from '../k8s/retry.ts';
import { lastCause } from './diagnose.ts';

export type FlinkJobState =
  | 'INITIALIZING'
  | 'CREATED'
  | 'RUNNING'
  | 'FAILING'
  | 'FAILED'
  | 'CANCELLING'
  | 'CANCELED'
  | 'FINISHED'
  | 'RESTARTING'
  | 'SUSPENDED'
  | 'RECONCILING';

export interface ClusterOverview {
  taskManagers: number;
  slotsTotal: number;
  slotsAvailable: number;
  jobsRunning: number;
  jobsFinished: number;
  jobsCancelled: number;
  jobsFailed: number;
  flinkVersion: string;
}

export interface JobSummary {
  id: string;
  name: string;
  state: FlinkJobState;
  startTime: number;
  endTime: number;
  durationMs: number;
}

export interface Vertex {
  id: string;
  name: string;
  parallelism: number;
  status: string;
  metrics?: Record<string, number | boolean>;
}

export interface JobDetail extends JobSummary {
  vertices: Vertex[];
  /** State → epoch ms when the job entered it. */
  timestamps: Partial<Record<FlinkJobState, number>>;
}

export interface CheckpointRef {
  id: number;
  /** Epoch ms of the last acknowledgement (completed) or of the restore. */
  timestamp: number;
  /** Epoch ms when the JobManager triggered it (not set for a restore). */
  triggerTimestamp?: number;
  externalPath?: string;
  isSavepoint?: boolean;
}

/** One entry of `history`: the JobManager's most recent checkpoints (`web.checkpoints.history`, 10 by default), newest first. */
export interface CheckpointHistoryEntry {
  id: number;
  status: string;
  isSavepoint: boolean;
  triggerTimestamp: number;
  /** Epoch ms of the last acknowledgement so far (0 while none came). */
  latestAckTimestamp: number;
}

export interface CheckpointStats {
  counts: { completed: number; failed: number; inProgress: number; restored: number; total: number };
  latestCompleted?: CheckpointRef;
  latestRestored?: CheckpointRef;
  history: CheckpointHistoryEntry[];
}

export interface JobException {
  exceptionName: string;
  message: string;
  timestamp: number;
  taskName?: string;
}

export class FlinkRestError extends Error {
  override name = 'FlinkRestError';
  constructor(
    readonly status: number,
    readonly path: string,
    readonly errors: string[],
  ) {
    super(`Flink REST ${path} answered ${status}: ${errors.map((e) => e.split('\n')[0]).join('; ') || 'no detail'}`);
  }
}

type Raw = Record<string, unknown>;
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? NaN));

export function parseOverview(raw: Raw): ClusterOverview {
  return {
    taskManagers: num(raw['taskmanagers']),
    slotsTotal: num(raw['slots-total']),
    slotsAvailable: num(raw['slots-available']),
    jobsRunning: num(raw['jobs-running']),
    jobsFinished: num(raw['jobs-finished']),
    jobsCancelled: num(raw['jobs-cancelled']),
    jobsFailed: num(raw['jobs-failed']),
    flinkVersion: String(raw['flink-version'] ?? ''),
  };
}

export function parseJobSummary(raw: Raw): JobSummary {
  return {
    id: String(raw['jid']),
    name: String(raw['name']),
    state: String(raw['state']) as FlinkJobState,
    startTime: num(raw['start-time']),
    endTime: num(raw['end-time']),
    durationMs: num(raw['duration']),
  };
}

export function parseJobDetail(raw: Raw): JobDetail {
  const vertices = ((raw['vertices'] as Raw[] | undefined) ?? []).map((v) => ({
    id: String(v['id']),
    name: String(v['name']),
    parallelism: num(v['parallelism']),
    status: String(v['status']),
    metrics: v['metrics'] as Record<string, number | boolean> | undefined,
  }));
  return { ...parseJobSummary(raw), vertices, timestamps: (raw['timestamps'] as JobDetail['timestamps']) ?? {} };
}

function checkpointRef(raw: Raw | null | undefined, timeField: string): CheckpointRef | undefined {
  if (!raw || raw['id'] === undefined) return undefined;
  return {
    id: num(raw['id']),
    timestamp: num(raw[timeField]),
    ...(raw['trigger_timestamp'] !== undefined ? { triggerTimestamp: num(raw['trigger_timestamp']) } : {}),
    externalPath: raw['external_path'] as string | undefined,
    isSavepoint: raw['is_savepoint'] as boolean | undefined,
  };
}

export function parseCheckpoints(raw: Raw): CheckpointStats {
  const counts = (raw['counts'] as Raw | undefined) ?? {};
  const latest = (raw['latest'] as Raw | undefined) ?? {};
  return {
    counts: {
      completed: num(counts['completed'] ?? 0),
      failed: num(counts['failed'] ?? 0),
      inProgress: num(counts['in_progress'] ?? 0),
      restored: num(counts['restored'] ?? 0),
      total: num(counts['total'] ?? 0),
    },
    latestCompleted: checkpointRef(latest['completed'] as Raw | null, 'latest_ack_timestamp'),
    latestRestored: checkpointRef(latest['restored'] as Raw | null, 'restore_timestamp'),
    history: ((raw['history'] as Raw[] | undefined) ?? []).map((h) => ({
      id: num(h['id']),
      status: String(h['status'] ?? ''),
      isSavepoint: h['is_savepoint'] === true,
      triggerTimestamp: num(h['trigger_timestamp']),
      latestAckTimestamp: num(h['latest_ack_timestamp'] ?? 0),
    })),
  };
}

export function parseExceptions(raw: Raw): JobException[] {
  const history = (raw['exceptionHistory'] as Raw | undefined)?.['entries'] as Raw[] | undefined;
  return (history ?? []).map((e) => ({
    exceptionName: String(e['exceptionName'] ?? ''),
    // The root cause, not the wrapper ("Recovery is suppressed by NoRestartBackoffTimeStrategy").
    message: lastCause(String(e['stacktrace'] ?? '')) ?? String(e['stacktrace'] ?? '').split('\n')[0] ?? '',
    timestamp: num(e['timestamp']),
    taskName: e['taskName'] as string | undefined,
  }));
}

/** `[{id, value}]` → `{id: number}`; aggregated subtask metrics come as `{id, min, max, avg, sum}`. */
export function parseMetrics(raw: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of (raw as Raw[]) ?? []) {
    const value = m['value'] ?? m['sum'];
    if (value !== undefined) out[String(m['id'])] = num(value);
  }
  return out;
}

/** `/jobs/:id/vertices/:vid/taskmanagers` → the ids of the TaskManagers the vertex's subtasks are on. */
export function parseVertexTaskManagers(raw: Raw): string[] {
  return ((raw['taskmanagers'] as Raw[] | undefined) ?? []).map((tm) => String(tm['taskmanager-id'] ?? tm['endpoint']));
}

export class FlinkRest {
  constructor(
    /** e.g. `http://127.0.0.1:40123` from a port-forward. */
    readonly baseUrl: string,
    private readonly timeoutMs = 15_000,
  ) {}

  private async call<T>(method: string, path: string, body?: BodyInit, headers?: HeadersInit): Promise<T> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      body,
      headers,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await res.text();
    if (!res.ok) {
      let errors: string[] = [text.slice(0, 500)];
      try {
        errors = (JSON.parse(text) as { errors?: string[] }).errors ?? errors;
      } catch {
        // not JSON: keep the text
      }
      throw new FlinkRestError(res.status, path, errors);
    }
    return (text ? JSON.parse(text) : {}) as T;
  }

  /** GETs are idempotent: transient connection errors (a port-forward re-resolving) are retried. */
  private get<T>(path: string): Promise<T> {
    return retryIdempotent(`GET ${path}`, () => this.call<T>('GET', path), 3);
  }

  async overview(): Promise<ClusterOverview> {
    return parseOverview(await this.get<Raw>('/overview'));
  }

  async config(): Promise<Raw> {
    return this.get<Raw>('/config');
  }

  /** The JobManager's effective configuration (`GET /jobmanager/config`), as key → value. */
  async jobManagerConfig(): Promise<Record<string, string>> {
    const entries = await this.get<{ key: string; value: string }[]>('/jobmanager/config');
    return Object.fromEntries(entries.map((e) => [e.key, e.value]));
  }

  async jobs(): Promise<JobSummary[]> {
    const raw = await this.get<{ jobs: Raw[] }>('/jobs/overview');
    return raw.jobs.map(parseJobSummary);
  }

  async job(jobId: string): Promise<JobDetail> {
    return parseJobDetail(await this.get<Raw>(`/jobs/${jobId}`));
  }

  async checkpoints(jobId: string): Promise<CheckpointStats> {
    return parseCheckpoints(await this.get<Raw>(`/jobs/${jobId}/checkpoints`));
  }

  async exceptions(jobId: string): Promise<JobException[]> {
    return parseExceptions(await this.get<Raw>(`/jobs/${jobId}/exceptions`));
  }

  /**
   * Vertex metrics summed over its subtasks (e.g. a sink's total numRecordsIn). Flink only answers
   * per-subtask names (`0.numRecordsIn`) on the plain metrics path, so the aggregate path is used.
   */
  async vertexMetrics(jobId: string, vertexId: string, names: string[]): Promise<Record<string, number>> {
    const q = encodeURIComponent(names.join(','));
    return parseMetrics(await this.get<unknown>(`/jobs/${jobId}/vertices/${vertexId}/subtasks/metrics?get=${q}&agg=sum`));
  }

  /** TaskManagers running the vertex's subtasks (03: do two jobs share one?). */
  async vertexTaskManagers(jobId: string, vertexId: string): Promise<string[]> {
    return parseVertexTaskManagers(await this.get<Raw>(`/jobs/${jobId}/vertices/${vertexId}/taskmanagers`));
  }

  /** Uploads a jar; returns the jar id used by `runJar`. Not retried: a retry could upload twice. */
  async uploadJar(path: string): Promise<string> {
    const form = new FormData();
    form.append('jarfile', new Blob([await readFile(path)], { type: 'application/java-archive' }), basename(path));
    const raw = await this.call<{ filename: string; status: string }>('POST', '/jars/upload', form);
    return raw.filename.split('/').pop()!;
  }

  async runJar(
    jarId: string,
    opts: { entryClass?: string; parallelism?: number; args?: string[] } = {},
  ): Promise<string> {
    const body = JSON.stringify({
      entryClass: opts.entryClass,
      parallelism: opts.parallelism,
      programArgsList: opts.args,
    });
    const raw = await this.call<{ jobid: string }>('POST', `/jars/${jarId}/run`, body, {
      'content-type': 'application/json',
    });
    return raw.jobid;
  }

  async cancel(jobId: string): Promise<void> {
    await this.call('PATCH', `/jobs/${jobId}?mode=cancel`);
  }
}
