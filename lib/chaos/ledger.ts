// The no-data-loss check of the Cassandra pod kill: a writer that keeps its own ledger of every write
// Cassandra acknowledged at QUORUM, so that after recovery each of them can be looked for. Its failed
// writes during the outage are the error rate the experiment reports.
import cassandra from 'cassandra-driver';
import type { V1Pod } from '@kubernetes/client-node';
import type { CqlSession } from '../cassandra/cql.ts';
import { readLocal } from '../cassandra/node-observation.ts';
import type { CoordinatorObservation } from './coordinator.ts';
import { pollPause } from '../util/time.ts';
import { type Condition, Deadline, observed, polled, until } from '../util/until.ts';

export interface LedgerStats {
  attempted: number;
  acknowledged: number;
  failed: number;
  /** Failed writes in percent of attempted ones. */
  errorRatePercent: number;
  lastError?: string;
}

export class QuorumLedger {
  private readonly acknowledged: number[] = [];
  private readonly attempts: { at: number; ok: boolean; error?: string }[] = [];
  private running?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly session: CqlSession,
    readonly keyspace: string,
    readonly table: string,
  ) {}

  get name(): string {
    return `${this.keyspace}.${this.table}`;
  }

  async create(datacenter: string, replicationFactor: number): Promise<void> {
    await this.session.execute(
      `CREATE KEYSPACE IF NOT EXISTS ${this.keyspace} WITH replication = {'class': 'NetworkTopologyStrategy', '${datacenter}': ${replicationFactor}}`,
    );
    await this.session.execute(`CREATE TABLE IF NOT EXISTS ${this.name} (id bigint PRIMARY KEY, written_at timestamp)`);
  }

  /** Writes ids 1, 2, 3, … at `perSecond` until stopped; each write waits for the previous one. */
  start(perSecond: number): void {
    const spacingMs = 1000 / perSecond;
    let next = 1;
    this.running = (async () => {
      while (!this.stopping) {
        const started = Date.now();
        const id = next++;
        try {
          await this.session.execute(`INSERT INTO ${this.name} (id, written_at) VALUES (?, toTimestamp(now()))`, [cassandra.types.Long.fromNumber(id)], {
            consistency: cassandra.types.consistencies.quorum,
          });
          this.acknowledged.push(id);
          this.attempts.push({ at: started, ok: true });
        } catch (err) {
          this.attempts.push({ at: started, ok: false, error: (err as Error).message.split('\n')[0] });
        }
        const wait = spacingMs - (Date.now() - started);
        if (wait > 0) await pollPause(wait);
      }
    })();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
  }

  /** Writes attempted in [fromMs, toMs) (all when no bounds): how many, how many failed. */
  stats(fromMs = 0, toMs = Number.MAX_SAFE_INTEGER): LedgerStats {
    const inWindow = this.attempts.filter((a) => a.at >= fromMs && a.at < toMs);
    const failed = inWindow.filter((a) => !a.ok);
    return {
      attempted: inWindow.length,
      acknowledged: inWindow.length - failed.length,
      failed: failed.length,
      errorRatePercent: inWindow.length ? Math.round((failed.length / inWindow.length) * 1000) / 10 : 0,
      lastError: failed.at(-1)?.error,
    };
  }

  /**
   * The node coordinating this ledger's writes, as it names itself over the same session (one
   * connection: the one the INSERTs use). Never throws: an unread node is what the judge is told.
   */
  async coordinator(pods: V1Pod[]): Promise<CoordinatorObservation> {
    const seen: CoordinatorObservation = { session: this.session.describe, pods: pods.map((p) => ({ name: p.metadata?.name ?? '?', ip: p.status?.podIP, terminating: Boolean(p.metadata?.deletionTimestamp) })) };
    try {
      const local = await readLocal(this.session);
      seen.node = { hostId: local.hostId, address: local.address };
    } catch (err) {
      seen.error = (err as Error).message.split('\n')[0];
    }
    return seen;
  }

  /**
   * The coordinator once the session answers again: right after a kill the driver may still hold its
   * one contact point as DOWN for a moment although writes already go through, so the question is
   * asked until it is answered or the deadline passes; the last observation (with its error) is kept.
   */
  async coordinatorWithin(pods: () => Promise<V1Pod[]>, timeoutMs: number): Promise<CoordinatorObservation> {
    return until(
      observed({
        description: "the node coordinating the ledger writer's writes",
        observe: async () => this.coordinator(await pods()),
        done: (seen) => !!seen.node,
        describe: (seen) => seen?.error ?? 'no answer',
        intervalMs: 1000,
      }),
      Deadline.in(timeoutMs),
    );
  }

  /** At least `count` writes acknowledged since `fromMs` (by the writer's own clock). */
  acknowledgedAtLeast(count: number, fromMs = 0, what = ''): Condition<LedgerStats> {
    return polled({
      description: `${count} ledger write(s) acknowledged${what ? ` ${what}` : ''}`,
      check: async () => {
        const stats = this.stats(fromMs);
        return stats.acknowledged >= count ? stats : undefined;
      },
      observe: () => `${this.stats(fromMs).acknowledged} acknowledged, ${this.stats(fromMs).failed} failed`,
      intervalMs: 250,
    });
  }

  get acknowledgedIds(): readonly number[] {
    return this.acknowledged;
  }

  /** Acknowledged ids that a QUORUM read does not find: each one is a lost write. */
  async missing(): Promise<number[]> {
    const found = new Set<number>();
    let pageState: string | undefined;
    do {
      const rs = await this.session.execute(`SELECT id FROM ${this.name}`, undefined, {
        fetchSize: 5000,
        pageState,
        prepare: false,
        consistency: cassandra.types.consistencies.quorum,
      });
      for (const row of rs.rows) found.add(Number(row.get('id')));
      pageState = rs.pageState ?? undefined;
    } while (pageState);
    return this.acknowledged.filter((id) => !found.has(id));
  }

  /** For the negative control only: deletes acknowledged writes behind the writer's back. */
  async deleteBehindItsBack(ids: number[]): Promise<void> {
    for (const id of ids) {
      await this.session.execute(`DELETE FROM ${this.name} WHERE id = ?`, [cassandra.types.Long.fromNumber(id)], {
        consistency: cassandra.types.consistencies.all,
      });
    }
  }
}
