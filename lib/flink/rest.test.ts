// The REST client's parsing, against responses recorded from a real Flink 1.20 (see __fixtures__/rest/README.md).
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlinkRest, FlinkRestError, parseCheckpoints, parseExceptions, parseJobDetail, parseMetrics, parseOverview } from './rest.ts';

const recorded = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/rest/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

describe('parsing recorded Flink 1.20 responses', () => {
  it('/overview', () => {
    expect(parseOverview(recorded('overview.json'))).toMatchObject({
      taskManagers: 1,
      slotsTotal: 2,
      slotsAvailable: 0,
      jobsRunning: 1,
      flinkVersion: '1.20.0',
    });
  });

  it('/jobs/:id of a running streaming job, with vertex parallelism', () => {
    const job = parseJobDetail(recorded('job-running.json'));
    expect(job.state).toBe('RUNNING');
    expect(job.id).toMatch(/^[0-9a-f]{32}$/);
    expect(job.vertices.length).toBeGreaterThan(1);
    // TopSpeedWindowing's source is non-parallel: only the downstream vertices run at the job's parallelism.
    expect(job.vertices.map((v) => v.parallelism)).toEqual([1, 2]);
    expect(job.timestamps.RUNNING).toBeGreaterThan(0);
  });

  it('/jobs/:id of a finished batch job, with its duration', () => {
    const job = parseJobDetail(recorded('job-finished-wordcount.json'));
    expect(job.state).toBe('FINISHED');
    expect(job.durationMs).toBeGreaterThan(0);
    expect(job.endTime).toBeGreaterThan(job.startTime);
  });

  it('/jobs/:id/checkpoints: counts and the latest completed checkpoint', () => {
    const cp = parseCheckpoints(recorded('job-checkpoints.json'));
    expect(cp.counts.completed).toBeGreaterThanOrEqual(2);
    expect(cp.counts.restored).toBe(0);
    expect(cp.latestCompleted?.id).toBeGreaterThanOrEqual(2);
    expect(cp.latestCompleted?.timestamp).toBeGreaterThan(0);
    expect(cp.latestRestored).toBeUndefined();
  });

  it('/jobs/:id/checkpoints after a restore', () => {
    const raw = recorded('job-checkpoints.json');
    const latest = raw['latest'] as Record<string, unknown>;
    const restoredRaw = { ...raw, counts: { ...(raw['counts'] as object), restored: 1 }, latest: { ...latest, restored: { id: 7, restore_timestamp: 1795479200000, is_savepoint: false, external_path: 'file:/flink-data/checkpoints/x/chk-7' } } };
    const cp = parseCheckpoints(restoredRaw);
    expect(cp.counts.restored).toBe(1);
    expect(cp.latestRestored).toMatchObject({ id: 7, timestamp: 1795479200000, isSavepoint: false });
  });

  it('/jobs/:id/exceptions of a healthy and of a failed job', () => {
    expect(parseExceptions(recorded('job-exceptions-none.json'))).toEqual([]);
    const failed = parseExceptions(recorded('job-exceptions-failed.json'));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.exceptionName).not.toBe('');
    // The root cause (WordCount on a missing file), not Flink's "Recovery is suppressed" wrapper.
    expect(failed[0]!.message).toMatch(/^Caused by: .*(FileNotFound|does not exist|No such file)/);
  });

  it('vertex metrics: aggregated over subtasks, and per-subtask string values', () => {
    expect(parseMetrics(recorded('vertex-subtasks-metrics-get.json'))).toEqual({ numRecordsIn: 167, numRecordsOut: 0 });
    expect(parseMetrics(recorded('vertex-metrics-get.json'))['1.numRecordsIn']).toBe(167);
    expect(parseMetrics(recorded('vertex-metrics-get-unprefixed.json'))).toEqual({});
  });
});

describe('FlinkRest over HTTP', () => {
  let server: Server;
  let rest: FlinkRest;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/jars/upload') return req.resume().on('end', () => send(200, recorded('jars-upload.json')));
      if (req.url?.match(/^\/jars\/.+\/run$/)) return req.resume().on('end', () => send(200, recorded('jars-run.json')));
      if (req.url === '/jobs/overview') return send(200, recorded('jobs-overview.json'));
      if (req.url?.startsWith('/jobs/') && req.method === 'PATCH') return send(202, recorded('job-cancel.json'));
      return send(404, { errors: ['Not found: /nope'] });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    rest = new FlinkRest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('uploads a jar, runs it and cancels the job', async () => {
    const jarId = await rest.uploadJar(new URL('../../package.json', import.meta.url).pathname);
    expect(jarId).toMatch(/_TopSpeedWindowing\.jar$/);
    const jobId = await rest.runJar(jarId, { parallelism: 2 });
    expect(jobId).toBe((recorded('jars-run.json') as { jobid: string }).jobid);
    await rest.cancel(jobId);
    expect(seen).toContain(`PATCH /jobs/${jobId}?mode=cancel`);
  });

  it('lists jobs', async () => {
    const jobs = await rest.jobs();
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs[0]!.id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('reports Flink errors with the status and the first line of each error', async () => {
    await expect(rest.job('0'.repeat(32))).rejects.toThrow(FlinkRestError);
    await expect(rest.job('0'.repeat(32))).rejects.toThrow(/answered 404: Not found: \/nope/);
  });
});
