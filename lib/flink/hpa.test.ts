// judgeHpaScaledOnCpu, cpuRequestMissing and hpaObservation on what the HPA controller reported on the
// lab on 2026-12-03 (see __fixtures__/hpa/README.md): suite 05's HPA scaling the TaskManagers 1 → 2
// at 30% CPU (run 20261203-150013-d317, with the states seen while waiting, each with the HPA object
// it was read from), and an HPA over TaskManager pods requesting no CPU (run 20261203-151805-9ffa).
// The sides nothing recorded (0% CPU, a condition without a reason) are edits of a recorded observation.
import { readFileSync } from 'node:fs';
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { cpuHpa, cpuRequestMissing, hpaObservation, judgeHpaScaledOnCpu, type HpaObservation } from './hpa.ts';

const read = (name: string): unknown => JSON.parse(readFileSync(new URL(`./__fixtures__/hpa/${name}`, import.meta.url), 'utf8'));
const recorded = (name: string) => read(name) as HpaObservation;
const seen = (name: string) => read(name) as { observation: HpaObservation; hpa: V2HorizontalPodAutoscaler };

const describeHpa = 'kubectl describe hpa reactive-hpa-taskmanager';
const noCpuRequest =
  'ScalingActive=False FailedGetResourceMetric: the HPA was unable to compute the replica count: failed to get cpu utilization: ' +
  'missing request for cpu in container flink-main-container of Pod reactive-hpa-taskmanager-66dd9bbff7-hndt2';

describe('cpuHpa', () => {
  it('builds the object the recorded HPA was created from (its spec as the API server returned it)', () => {
    const { hpa } = seen('05-hpa-seen-1-created.json');
    const built = cpuHpa('reactive-hpa-taskmanager', 'sc-20261203-150013-d317-05', {}, 'reactive-hpa-taskmanager', { cpuPercent: 20, minReplicas: 1, maxReplicas: 15 } as Parameters<typeof cpuHpa>[4]);
    expect(built['spec']).toEqual(hpa.spec);
  });
});

describe('hpaObservation', () => {
  it.each(['05-hpa-seen-1-created.json', '05-hpa-seen-2-scaling-up.json', '05-hpa-seen-3-scaled.json', '05-hpa-no-cpu-request-seen-2-no-metrics-yet.json'])(
    'reads the recorded HPA object of %s as the observation recorded with it',
    (name) => {
      const { observation, hpa } = seen(name);
      const { name: hpaName, targetCpuPercent, fromReplicas, waitedSeconds } = observation;
      expect(hpaObservation(hpa, { name: hpaName, targetCpuPercent, fromReplicas, waitedSeconds })).toEqual(observation);
    },
  );

  it('takes no CPU from a metric entry of no type (the recorded status while metrics were not yet available)', () => {
    const { hpa } = seen('05-hpa-no-cpu-request-seen-2-no-metrics-yet.json');
    expect(hpa.status?.currentMetrics).toEqual([{ type: '' }]);
    expect(hpaObservation(hpa, { name: 'x', targetCpuPercent: 20, fromReplicas: 1, waitedSeconds: 0 }).cpuPercent).toBeUndefined();
  });
});

describe('cpuRequestMissing', () => {
  it('names the condition on the recorded HPA over pods requesting no CPU', () => {
    expect(cpuRequestMissing(recorded('05-hpa-no-cpu-request.json'))).toBe(noCpuRequest);
  });

  it('says nothing while metrics are merely not available yet (recorded), nor on the recorded scaled HPA', () => {
    expect(cpuRequestMissing(seen('05-hpa-no-cpu-request-seen-2-no-metrics-yet.json').observation)).toBeUndefined();
    expect(cpuRequestMissing(recorded('05-hpa-scaled.json'))).toBeUndefined();
  });

  it('names the condition without a reason when the controller gave none (recorded condition with reason removed)', () => {
    const o = recorded('05-hpa-no-cpu-request.json');
    const conditions = o.conditions.map(({ reason: _r, ...c }) => c);
    expect(cpuRequestMissing({ ...o, conditions })).toBe(noCpuRequest.replace(' FailedGetResourceMetric', ''));
  });
});

describe('judgeHpaScaledOnCpu', () => {
  it('passes on the recorded scale-out: 1 → 2 replicas at 30% CPU, target 20%', () => {
    expect(judgeHpaScaledOnCpu(recorded('05-hpa-scaled.json'))).toEqual({
      ok: true,
      reason: `the HPA scaled the TaskManagers 1 → 2 at CPU 30% of requests (target 20%) after 30.1 s (${describeHpa})`,
    });
  });

  it('fails naming the missing CPU request on the recorded HPA over pods requesting no CPU', () => {
    expect(judgeHpaScaledOnCpu(recorded('05-hpa-no-cpu-request.json'))).toEqual({
      ok: false,
      reason: `the HPA cannot compute CPU utilisation: the TaskManager pods request no CPU (${noCpuRequest}) after 30.0 s (${describeHpa})`,
    });
  });

  it('fails on the recorded HPA just created: no status, no CPU measured (an empty observation)', () => {
    expect(judgeHpaScaledOnCpu(seen('05-hpa-seen-1-created.json').observation)).toEqual({
      ok: false,
      reason: `the HPA reported no CPU utilisation (metrics.k8s.io) after 0.0 s (${describeHpa})`,
    });
  });

  it('fails on an HPA never read (hpaObservation of undefined)', () => {
    const never = hpaObservation(undefined, { name: 'reactive-hpa-taskmanager', targetCpuPercent: 20, fromReplicas: 1, waitedSeconds: 300 });
    expect(judgeHpaScaledOnCpu(never)).toEqual({ ok: false, reason: `the HPA reported no CPU utilisation (metrics.k8s.io) after 300.0 s (${describeHpa})` });
  });

  it('fails naming the conditions not True while metrics are not yet available (recorded)', () => {
    expect(judgeHpaScaledOnCpu(seen('05-hpa-no-cpu-request-seen-2-no-metrics-yet.json').observation)).toEqual({
      ok: false,
      reason:
        'the HPA reported no CPU utilisation (metrics.k8s.io): ScalingActive=False FailedGetResourceMetric: the HPA was unable to compute the replica count: ' +
        `failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API after 15.0 s (${describeHpa})`,
    });
  });

  it('fails on the recorded state before the new replica was counted: desired 2, current still 1, at 40% CPU', () => {
    expect(judgeHpaScaledOnCpu(seen('05-hpa-seen-2-scaling-up.json').observation)).toEqual({
      ok: false,
      reason: `the HPA stayed at 1 replica(s) (desired 2) with CPU at 40% of requests, target 20% after 15.0 s (${describeHpa})`,
    });
  });

  it('fails when the load job put no load (recorded scale-out with cpuPercent edited to 0: an idle TaskManager measures 0%)', () => {
    expect(judgeHpaScaledOnCpu({ ...recorded('05-hpa-scaled.json'), cpuPercent: 0 })).toEqual({
      ok: false,
      reason: `the HPA measured 0% CPU: the load job put no load on the TaskManagers after 30.1 s (${describeHpa})`,
    });
  });
});
