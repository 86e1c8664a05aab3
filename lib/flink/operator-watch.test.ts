import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { judgeOperatorHealth, operatorDownAfterMs, restartBaseline } from './operator-watch.ts';

// The lab's operator 1.7.0 with a FlinkDeployment of flinkVersion v1_20 in the cluster: the pod keeps
// running, not Ready, and the kubelet's liveness probe kills it (exit 143) every ~90 s.
const operatorPod = (opts: { ready: boolean; restarts: number; waiting?: string; lastExit?: number }): V1Pod => ({
  metadata: { name: 'flink-kubernetes-operator-669c5dc4-j69zt', uid: 'u1' },
  status: {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: opts.ready ? 'True' : 'False' }],
    containerStatuses: [
      {
        name: 'flink-kubernetes-operator',
        image: 'ghcr.io/apache/flink-kubernetes-operator:1.7.0',
        imageID: '',
        ready: opts.ready,
        restartCount: opts.restarts,
        state: opts.waiting ? { waiting: { reason: opts.waiting } } : { running: {} },
        ...(opts.lastExit !== undefined ? { lastState: { terminated: { exitCode: opts.lastExit, reason: 'Error' } } } : {}),
      },
    ],
  },
});

describe('judgeOperatorHealth', () => {
  const baseline = restartBaseline([operatorPod({ ready: true, restarts: 0 })]);

  it('a Ready operator is healthy', () => {
    const h = judgeOperatorHealth([operatorPod({ ready: true, restarts: 0 })], baseline);
    expect(h).toMatchObject({ ready: true, down: undefined, summary: 'Flink operator Ready' });
  });

  it('a not-Ready operator is reported, and counts as down only after the grace period', () => {
    const soon = judgeOperatorHealth([operatorPod({ ready: false, restarts: 0 })], baseline, 10_000);
    expect(soon.down).toBeUndefined();
    expect(soon.summary).toBe('Flink operator NOT Ready (flink-kubernetes-operator-669c5dc4-j69zt:Running)');
    const later = judgeOperatorHealth([operatorPod({ ready: false, restarts: 0 })], baseline, operatorDownAfterMs);
    expect(later.down).toBe('NOT Ready for 60 s');
  });

  it('two restarts since the wait began, or CrashLoopBackOff, is a crash loop', () => {
    const twice = judgeOperatorHealth([operatorPod({ ready: false, restarts: 2, lastExit: 143 })], baseline);
    expect(twice.down).toBe('crash-looping');
    expect(twice.summary).toBe('Flink operator crash-looping (flink-kubernetes-operator-669c5dc4-j69zt: last exit code 143 (Error), restarts 2)');
    expect(judgeOperatorHealth([operatorPod({ ready: false, restarts: 5, waiting: 'CrashLoopBackOff' })], restartBaseline([operatorPod({ ready: false, restarts: 5 })])).down).toBe(
      'crash-looping',
    );
  });

  it('one restart alone (a rollout, a leader change) is said, not failed', () => {
    const h = judgeOperatorHealth([operatorPod({ ready: true, restarts: 1, lastExit: 143 })], baseline);
    expect(h.down).toBeUndefined();
    expect(h.summary).toBe('Flink operator Ready, restarted 1x since the wait began');
  });

  it('no operator pod at all is not Ready', () => {
    expect(judgeOperatorHealth([], baseline, operatorDownAfterMs).summary).toBe('Flink operator NOT Ready for 60 s');
  });
});
