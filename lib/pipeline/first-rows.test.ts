import { describe, expect, it } from 'vitest';
import { judgeRowsAppeared } from './first-rows.ts';

const table = 'example.topspeeds';
const sinceMs = 1_764_650_000_000;

describe('judgeRowsAppeared', () => {
  it("passes on the job's rows read back, naming a few", () => {
    const rows = [
      { carid: 1, time: sinceMs + 5_400 },
      { carid: 1, time: sinceMs + 3_150 },
      { carid: 0, time: sinceMs + 4_050 },
    ];
    const j = judgeRowsAppeared({ table, sinceMs, rows, waitedMs: 2_340 });
    expect(j.ok).toBe(true);
    expect(j.reason).toBe(
      '3 rows read from example.topspeeds after 2.3 s (2 cars among them): car 1 at 2025-12-02T04:33:25.400Z, car 1 at 2025-12-02T04:33:23.150Z, car 0 at 2025-12-02T04:33:24.050Z',
    );
  });

  it('fails when the table holds none of the job\'s rows by the deadline (the job writes elsewhere)', () => {
    const j = judgeRowsAppeared({ table, sinceMs, rows: [], waitedMs: 120_000 });
    expect(j.ok).toBe(false);
    expect(j.reason).toMatch(/^no rows of this job in example\.topspeeds after 120 s of reading it \(SELECT carid, time … WHERE time >= 1764650000000, the job's start, returned none\)/);
  });

  it('fails at once when the sink\'s records were acknowledged at a checkpoint yet none can be read', () => {
    const j = judgeRowsAppeared({ table, sinceMs, rows: [], waitedMs: 14_200, flushed: { sinkRecords: 96, checkpointId: 4 } });
    expect(j).toMatchObject({ ok: false });
    expect(j.reason).toBe(
      'no rows of this job in example.topspeeds after 14.2 s of reading it, although the sink had taken in 96 records before checkpoint #4 completed (so Cassandra had acknowledged their INSERTs): a LOCAL_QUORUM read returns none of them, the job writes somewhere else (its --table argument in the FlinkDeployment)',
    );
  });

  it('fails with the read error when the SELECT itself failed', () => {
    const j = judgeRowsAppeared({ table, sinceMs, rows: [], waitedMs: 60_000, lastError: 'Operation timed out - received only 0 responses.' });
    expect(j).toMatchObject({ ok: false });
    expect(j.reason).toMatch(/last error: Operation timed out - received only 0 responses\./);
  });
});
