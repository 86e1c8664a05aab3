// Faults in the control path, not in the platform: kube-apiserver restarts while the harness is
// waiting on a watch and polling through a port-forward (every watch and every tunnel goes through
// it, so one restart drops both). The wait must resume and end on the event that happens after the
// restart, and the poller's answers must stay right, failing only while the apiserver is away.
import type { V1Pod } from '@kubernetes/client-node';
import { afterAll, describe, expect, it } from 'vitest';
import { describeSamples, ensureBusyboxImage, judgeSamplesAround, labCluster, restartApiserver, sampler, untilAnsweredAfter } from '../lab/index.ts';
import { holds } from '../util/judgement.ts';
import { apply, type K8sObject } from './objects.ts';
import { portForward } from './portforward.ts';
import { kinds } from './resources.ts';
import { watched, watchedObject } from './wait.ts';
import { failures, streamcert, suiteOf } from '../selftest/streamcert.ts';
import { Deadline, until } from '../util/until.ts';

const ns = 'selftest-control-path';

describe('kube-apiserver restarts mid-wait', () => {
  afterAll(async () => {
    // Not waited for: after an apiserver restart the namespace controller takes a minute or two to
    // resync, and nothing else uses this namespace.
    const cluster = await labCluster();
    await cluster.core.deleteNamespace({ name: ns }).catch(() => undefined);
  });

  it('a watch wait resumes and sees the change made after the restart; port-forwarded polling resumes with correct answers', async () => {
    const cluster = await labCluster();
    const image = await ensureBusyboxImage();
    await apply(cluster, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await apply(cluster, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'phase', namespace: ns }, data: { phase: 'before' } } as K8sObject);
    await apply(cluster, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web', namespace: ns },
      spec: {
        terminationGracePeriodSeconds: 0,
        containers: [{ name: 'web', image, command: ['sh', '-c', 'echo streamcert-answer > /tmp/index.html && exec httpd -f -p 8080 -h /tmp'] }],
      },
    } as K8sObject);
    await until(
      watched(
        cluster,
        { kind: kinds.Pod, namespace: ns },
        {
          description: 'the web pod to be Ready',
          check: (pods: (V1Pod & K8sObject)[]) =>
            pods[0]?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ? true : undefined,
        },
      ),
      Deadline.in(60_000),
    );

    const forward = await portForward(cluster, { namespace: ns, pod: 'web', port: 8080 });
    const poll = sampler(async () => {
      const res = await fetch(`${forward.url}/index.html`, { signal: AbortSignal.timeout(2_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.text()).trim();
    });

    const phase = watchedObject<string, K8sObject & { data?: Record<string, string> }>(
      cluster,
      { kind: kinds.ConfigMap, namespace: ns, name: 'phase' },
      { description: 'ConfigMap phase to say after', check: (cm) => (cm?.data?.['phase'] === 'after' ? 'after' : undefined) },
    );
    const wait = until(phase, Deadline.in(180_000));
    await new Promise((r) => setTimeout(r, 2_000));
    const { down, up } = await restartApiserver();
    // The change the wait is for happens only once the apiserver is back: the wait can see it only by resuming.
    await apply(cluster, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'phase', namespace: ns }, data: { phase: 'after' } } as K8sObject);
    const result = await wait;
    const answered = await untilAnsweredAfter(poll.samples, up, 30_000);
    await new Promise((r) => setTimeout(r, 2_000));
    await poll.stop();
    await forward.close();

    expect(result).toBe('after');
    expect(phase.watches, 'watch connections (1 + resumptions)').toBeGreaterThan(1);
    expect(answered, 'a poll answered after the restart').toBe(true);
    holds(judgeSamplesAround(poll.samples, { down, up }, 'streamcert-answer'));
    process.stderr.write(
      `apiserver away ${((up - down) / 1000).toFixed(1)} s; wait resumed with ${phase.watches} watches; ${describeSamples(poll.samples, { down, up })}\n`,
    );
  });

  it('08 keeps its verdict when the apiserver restarts in its sampling window: the unread samples are counted, not judged', async () => {
    let restarted: Promise<unknown> | undefined;
    const run = await streamcert(['run', '--suite', '08'], {
      onStderr: (text) => {
        // Once the sampling window has begun, every watch and tunnel of the run is dropped at once.
        if (!restarted && /• the write count grows monotonically/.test(text)) {
          restarted = new Promise((r) => setTimeout(r, 4_000)).then(() => restartApiserver());
        }
      },
    });
    const outage = (await restarted) as { down: number; up: number } | undefined;
    const suite = suiteOf(run, '08-flink-to-cassandra');
    expect(outage, 'the apiserver was restarted during the run').toBeDefined();
    expect(suite.verdict, failures(suite)).toBe('passed');
    const unread = suite.measurements.find((m) => m.name === 'unreadSamples');
    expect(unread?.unit).toBe('count');
    process.stderr.write(`08 across an apiserver restart (${((outage!.up - outage!.down) / 1000).toFixed(1)} s away): passed, ${unread?.value} unread samples\n`);
  });
});

