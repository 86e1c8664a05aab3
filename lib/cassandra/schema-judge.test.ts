// judgePaperSchema on each of its sides. The observation is what the judge received on the lab on
// 2026-12-04 (see __fixtures__/schema/README.md): suite 07 passing (run 20261204-020047-cd8d, RF 1 in
// dc1, the four columns of topspeeds), and failing on the keyspace created first with RF 2 (fault
// keyspace-other-replication, run 20261204-021333-f05d). Other failing sides are minimal edits of the
// passing one, named in each test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fail, pass } from '../util/judgement.ts';
import { judgePaperSchema, type PaperSchemaObservation } from './schema-judge.ts';

const created = (): PaperSchemaObservation =>
  JSON.parse(readFileSync(new URL('./__fixtures__/schema/07-paper-schema.json', import.meta.url), 'utf8')) as PaperSchemaObservation;

const service = 'service sc-20261204-020047-cd8d-cassandra/demo-dc1-service';
const nts = 'class: org.apache.cassandra.locator.NetworkTopologyStrategy';

describe('judgePaperSchema', () => {
  it('passes on the recorded run: example replicated once in dc1, topspeeds with carid, distance, speed, time', () => {
    expect(judgePaperSchema(created())).toEqual(
      pass(`keyspace example replicates 1× in dc1 ({${nts}, dc1: 1}) and example.topspeeds has the columns carid, distance, speed, time (system_schema over ${service})`),
    );
  });

  it('fails on the recorded keyspace found with RF 2 where 1 is configured (fault keyspace-other-replication)', () => {
    const o = JSON.parse(readFileSync(new URL('./__fixtures__/schema/07-paper-schema-other-replication.json', import.meta.url), 'utf8')) as PaperSchemaObservation;
    expect(judgePaperSchema(o)).toEqual(
      fail(
        `keyspace example: expected replication factor 1 in datacenter dc1 (cassandra.replicationFactor), found 2: replication {${nts}, dc1: 2} ` +
          '(system_schema.keyspaces over service sc-20261204-021333-f05d-cassandra/demo-dc1-service)',
      ),
    );
  });

  it('fails when the replication factor differs (recorded run with replicationFactor edited to 3: a keyspace kept from an RF 1 run)', () => {
    expect(judgePaperSchema({ ...created(), replicationFactor: 3 })).toEqual(
      fail(
        `keyspace example: expected replication factor 3 in datacenter dc1 (cassandra.replicationFactor), found 1: replication {${nts}, dc1: 1} ` +
          `(system_schema.keyspaces over ${service})`,
      ),
    );
  });

  it('fails when the datacenter is not replicated at all (recorded run with the replication edited to SimpleStrategy, the paper\'s own)', () => {
    const replication = { class: 'org.apache.cassandra.locator.SimpleStrategy', replication_factor: '1' };
    expect(judgePaperSchema({ ...created(), replication })).toEqual(
      fail(
        'keyspace example: expected replication factor 1 in datacenter dc1 (cassandra.replicationFactor), found none: ' +
          `replication {class: org.apache.cassandra.locator.SimpleStrategy, replication_factor: 1} (system_schema.keyspaces over ${service})`,
      ),
    );
  });

  it('fails when there is no keyspace (recorded run with the replication emptied: system_schema.keyspaces returned no row)', () => {
    expect(judgePaperSchema({ ...created(), replication: {} })).toEqual(
      fail(`keyspace example does not exist: system_schema.keyspaces has no replication for it (over ${service})`),
    );
  });

  it('fails when there is no table (recorded run with the columns emptied)', () => {
    expect(judgePaperSchema({ ...created(), columns: [] })).toEqual(
      fail(`table example.topspeeds does not exist: system_schema.columns lists no column of it (over ${service})`),
    );
  });

  it('fails naming missing and unexpected columns (recorded run with speed edited to speed_kmh: a table of another shape kept by IF NOT EXISTS)', () => {
    expect(judgePaperSchema({ ...created(), columns: ['carid', 'distance', 'speed_kmh', 'time'] })).toEqual(
      fail(
        'table example.topspeeds: expected the columns carid, distance, speed, time, found carid, distance, speed_kmh, time ' +
          `(missing speed; unexpected speed_kmh; system_schema.columns over ${service})`,
      ),
    );
  });

  it('fails when a statement failed (recorded run with the replication and columns emptied and an error added: the CREATE timed out)', () => {
    const error = 'Operation timed out - received only 0 responses.';
    expect(judgePaperSchema({ ...created(), replication: {}, columns: [], error })).toEqual(
      fail(`the paper's schema (keyspace example, table example.topspeeds) could not be created or read over ${service}: ${error}`),
    );
  });
});
