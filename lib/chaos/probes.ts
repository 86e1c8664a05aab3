// Steady-state probes of the pipeline and of Cassandra, shared by 09's experiments. Each resolves with
// what it saw, or throws saying what it saw instead.
import { recordObservation } from '../flink/record-observation.ts';
import { describeStatus } from '../flink/deployment.ts';
import type { CassandraCluster } from '../cassandra/k8ssandra.ts';
import type { Pipeline } from '../pipeline/pipeline.ts';
import type { Probe } from './experiment.ts';
import type { QuorumLedger } from './ledger.ts';
import { judgeRestoreAfterKill, type RestoreObservation } from './restore.ts';
import { WaitEnded } from '../util/time.ts';
import { endedJobStates } from '../flink/job-conditions.ts';
import { Deadline, polled, until } from '../util/until.ts';

/** The pipeline's job is RUNNING under its original id (REST); a job in a terminal state ends the wait at once. */
export function jobRunning(pipeline: Pipeline, timeoutMs = 0): Probe {
  return {
    name: `job ${pipeline.jobId.slice(0, 8)} RUNNING`,
    run: async () => {
      let seen = 'no answer';
      await until(
        polled({
          description: `job ${pipeline.jobId} of ${pipeline.name} to be RUNNING`,
          check: async () => {
            const jobs = await (await pipeline.rest()).jobs();
            seen = jobs.map((j) => `${j.id.slice(0, 8)}:${j.state}`).join(' ') || 'no jobs';
            const mine = jobs.find((j) => j.id === pipeline.jobId);
            // Globally terminal: no restart strategy will bring it back, so waiting longer cannot help.
            if (mine && endedJobStates.has(mine.state)) {
              throw new WaitEnded(`job ${pipeline.jobId} of ${pipeline.name} is ${mine.state}, which it never leaves (${seen})`);
            }
            return mine?.state === 'RUNNING' ? true : undefined;
          },
          observe: () => seen,
          intervalMs: 1000,
        }),
        Deadline.in(timeoutMs),
      );
      return `RUNNING (${seen})`;
    },
  };
}

/**
 * Neither the job nor the deployment FAILED, as the operator reports them: RESTARTING or RECONCILING is
 * what recovery looks like. Read from Kubernetes, so it answers while the JobManager (and REST) is down.
 */
export function jobNotFailed(pipeline: Pipeline): Probe {
  return {
    name: 'job and deployment not FAILED (operator status)',
    run: async () => {
      const st = await pipeline.fd.currentStatus();
      const summary = describeStatus(st);
      if (st?.jobStatus?.state === 'FAILED' || st?.lifecycleState === 'FAILED') throw new Error(summary);
      return summary;
    },
  };
}

/** The table's write count grows within `timeoutMs`. */
export function writesGrowing(pipeline: Pipeline, timeoutMs: number): Probe {
  return {
    name: `writes to ${pipeline.keyspace}.${pipeline.table} growing`,
    run: async () => {
      const before = (await pipeline.tableWrites()).count;
      const after = await pipeline.untilWritesGrow(before, timeoutMs);
      return `write count ${before} → ${after}`;
    },
  };
}

/**
 * The job restored after the fault from a checkpoint at least as new as the latest completed at the
 * kill (`o.checkpointAtKill`), judged by judgeRestoreAfterKill; fills in `o.restored`. A restore is
 * recognised by its own timestamp: a replacement JobManager starts its checkpoint statistics afresh,
 * so counts.restored cannot be compared across a JobManager kill.
 */
export function restoredFromCheckpoint(pipeline: Pipeline, o: RestoreObservation): Probe {
  return {
    name: `restored from a checkpoint ≥ #${o.checkpointAtKill?.id ?? '?'} (latest completed at the kill)`,
    run: async () => {
      const readRestore = async () => (await (await pipeline.rest()).checkpoints(pipeline.jobId)).latestRestored;
      // The restore is reported once the new attempt has started: wait for one dated after the kill.
      await until(
        polled({
          description: `job ${pipeline.jobId} to report a restore after ${new Date(o.faultAt).toISOString()}`,
          check: async () => {
            o.restored = await readRestore();
            return o.restored && o.restored.timestamp >= o.faultAt ? true : undefined;
          },
          observe: () => (o.restored ? `#${o.restored.id} at ${new Date(o.restored.timestamp).toISOString()}` : 'no restore'),
          intervalMs: 1000,
        }),
        Deadline.in(30_000),
      ).catch(() => undefined);
      recordObservation(`09-restore-after-${o.killed}-kill`, o);
      const verdict = judgeRestoreAfterKill(o);
      if (!verdict.ok) throw new Error(verdict.reason);
      return verdict.reason;
    },
  };
}

/** Every Cassandra pod of the datacenter is Ready. */
export function cassandraNodesReady(cassandra: CassandraCluster, size: number, timeoutMs: number): Probe {
  return {
    name: `${size} Cassandra nodes Ready`,
    run: async () => {
      const pods = await until(cassandra.readyPods(size), Deadline.in(timeoutMs));
      return pods.map((p) => p.metadata?.name).join(', ');
    },
  };
}

/** The ledger's QUORUM writes in the last `windowMs` were acknowledged (at least `minRatio` of them). */
export function quorumWritesAcknowledged(ledger: QuorumLedger, windowMs: number, minRatio: number): Probe {
  return {
    name: `QUORUM writes to ${ledger.name} acknowledged`,
    run: async () => {
      const now = Date.now();
      const st = ledger.stats(now - windowMs, now);
      if (st.attempted === 0) throw new Error('no write attempted in the window');
      if (st.acknowledged / st.attempted < minRatio) {
        throw new Error(`${st.acknowledged}/${st.attempted} acknowledged in ${windowMs / 1000} s (last error: ${st.lastError ?? '-'})`);
      }
      return `${st.acknowledged}/${st.attempted} acknowledged in ${windowMs / 1000} s`;
    },
  };
}

/** Every write the ledger saw acknowledged is readable at QUORUM. */
export function noAcknowledgedWriteLost(ledger: QuorumLedger): Probe {
  return {
    name: `every acknowledged write to ${ledger.name} readable`,
    run: async () => {
      const missing = await ledger.missing();
      if (missing.length > 0) {
        throw new Error(`${missing.length} of ${ledger.acknowledgedIds.length} acknowledged writes lost: ids ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? ', …' : ''}`);
      }
      return `all ${ledger.acknowledgedIds.length} acknowledged writes found`;
    },
  };
}
