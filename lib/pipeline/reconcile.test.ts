import { describe, expect, it } from 'vitest';
import { reconcile } from './reconcile.ts';

const base = { replicationFactor: 1, sinkRecordsPerSecond: 10, tolerancePercent: 5 };

describe('reconciling the sink count with the table write count', () => {
  it('accepts Cassandra ahead by the metric lag', () => {
    const r = reconcile({ ...base, sinkRecords: 1000, cassandraWrites: 1030 });
    expect(r.ok).toBe(true);
    expect(r.allowedDifference).toBe(80); // 10/s × 3 s + 5% of 1000
  });

  it('multiplies by the replication factor', () => {
    expect(reconcile({ ...base, replicationFactor: 3, sinkRecords: 1000, cassandraWrites: 3000 }).ok).toBe(true);
    expect(reconcile({ ...base, replicationFactor: 3, sinkRecords: 1000, cassandraWrites: 1000 }).ok).toBe(false);
  });

  it('flags missing writes and says so', () => {
    const r = reconcile({ ...base, sinkRecords: 1000, cassandraWrites: 800 });
    expect(r.ok).toBe(false);
    expect(r.explanation).toMatch(/Cassandra is missing writes/);
  });

  it('flags more writes than the sink sent', () => {
    expect(reconcile({ ...base, sinkRecords: 1000, cassandraWrites: 1500 }).explanation).toMatch(/more writes than the sink sent/);
  });

  it('fails when the sink took in nothing', () => {
    expect(reconcile({ ...base, sinkRecords: 0, cassandraWrites: 0 }).ok).toBe(false);
  });
});
