// judgeJobManagerRecovery (and fatalErrorIn) on each of their sides. The failed job is GET /jobs/:id
// and /jobs/:id/exceptions as recorded from a real Flink 1.20 (see __fixtures__/rest/README.md:
// WordCount on a missing input file). No post-kill JobManager was recorded: the pods are hand-written
// in the API's shape (the operator's JobManager pod, container flink-main-container) and the logs in
// Flink's log4j layout, with the lines jobmanager-watch.ts looks for.
import { readFileSync } from 'node:fs';
import type { V1ContainerState, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { fatalErrorIn, judgeJobManagerRecovery, type JobManagerObservation } from './jobmanager-watch.ts';
import { parseExceptions, parseJobDetail } from './rest.ts';

const recorded = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`./__fixtures__/rest/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const namespace = 'sc-example-04';
const name = 'app-mode-6f9d8b7c5-x2k4p';
const pod = (opts: { restarts?: number; state?: V1ContainerState; lastExit?: number; deleting?: boolean; uid?: string } = {}): V1Pod => ({
  metadata: { name, namespace, uid: opts.uid ?? 'u-new', ...(opts.deleting ? { deletionTimestamp: '2026-12-02T10:39:10Z' as unknown as Date } : {}) },
  status: {
    phase: 'Running',
    containerStatuses: [
      {
        name: 'flink-main-container',
        image: 'flink:1.20',
        imageID: '',
        ready: false,
        restartCount: opts.restarts ?? 0,
        state: opts.state ?? { running: {} },
        ...(opts.lastExit !== undefined ? { lastState: { terminated: { exitCode: opts.lastExit, reason: 'Error' } } } : {}),
      },
    ],
  },
});
const base: JobManagerObservation = { namespace, pods: [pod()], expectedRestarts: new Map([['u-new', 0]]), logs: [] };

const fatalLog = [
  '2026-12-02 10:39:14,201 INFO  org.apache.flink.runtime.entrypoint.ClusterEntrypoint        [] - Starting KubernetesApplicationClusterEntrypoint.',
  '2026-12-02 10:39:19,877 ERROR org.apache.flink.runtime.entrypoint.ClusterEntrypoint        [] - Fatal error occurred in the cluster entrypoint.',
  'java.util.concurrent.CompletionException: org.apache.flink.util.FlinkRuntimeException: Could not recover job 7cd7fc3d569c4b09e9256871557bc937.',
  '\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(Unknown Source)',
  'Caused by: java.io.FileNotFoundException: /flink-data/ha/app-mode/completedCheckpoint3f1c (No such file or directory)',
  '\tat java.base/java.io.FileInputStream.open0(Native Method)',
  '2026-12-02 10:39:19,912 INFO  org.apache.flink.runtime.entrypoint.ClusterEntrypoint        [] - Terminating cluster entrypoint process KubernetesApplicationClusterEntrypoint with exit code 1.',
].join('\n');

describe('fatalErrorIn', () => {
  it('finds the first fatal line without its prefix, and the deepest cause after it', () => {
    expect(fatalErrorIn(fatalLog)).toEqual({
      line: 'Fatal error occurred in the cluster entrypoint.',
      cause: 'Caused by: java.io.FileNotFoundException: /flink-data/ha/app-mode/completedCheckpoint3f1c (No such file or directory)',
    });
  });

  it('finds nothing in a log without a fatal line, or an empty one', () => {
    expect(fatalErrorIn(fatalLog.split('\n')[0]!)).toBeUndefined();
    expect(fatalErrorIn('')).toBeUndefined();
  });
});

describe('judgeJobManagerRecovery', () => {
  it('an empty observation is not terminal: no pod yet, keep waiting', () => {
    expect(judgeJobManagerRecovery({ namespace, pods: [], expectedRestarts: new Map(), logs: [] })).toEqual({ summary: 'JobManager no pod yet' });
  });

  it('a running new JobManager and a RUNNING job are not terminal', () => {
    const v = judgeJobManagerRecovery({ ...base, job: { id: '7cd7fc3d569c4b09e9256871557bc937', state: 'RUNNING' } });
    expect(v).toEqual({ summary: `JobManager ${name}:Running, job RUNNING` });
  });

  it('ends on a fatal line in the log, naming the pod, the line, the root cause and the command', () => {
    const v = judgeJobManagerRecovery({ ...base, logs: [{ pod: name, previous: false, text: fatalLog }] });
    expect(v).toEqual({
      terminal:
        `the new JobManager ${name} gave up: "Fatal error occurred in the cluster entrypoint."; ` +
        'root cause: Caused by: java.io.FileNotFoundException: /flink-data/ha/app-mode/completedCheckpoint3f1c (No such file or directory) ' +
        `(see \`kubectl logs -n ${namespace} ${name}\`)`,
      summary: `JobManager ${name}: fatal error`,
    });
  });

  it('names the previous container in the command, and leaves out a root cause there is none of', () => {
    const text = '2026-12-02 10:39:19,912 INFO  org.apache.flink.runtime.entrypoint.ClusterEntrypoint        [] - Terminating cluster entrypoint process KubernetesApplicationClusterEntrypoint with exit code 2.';
    const v = judgeJobManagerRecovery({ ...base, logs: [{ pod: name, previous: true, text }] });
    expect(v.terminal).toBe(
      `the new JobManager ${name} gave up: "Terminating cluster entrypoint process KubernetesApplicationClusterEntrypoint with exit code 2." (see \`kubectl logs -n ${namespace} ${name} --previous\`)`,
    );
  });

  it('ends on a container that cannot start, with the kubelet message', () => {
    const state = { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "flink:1.20-nope"' } };
    const v = judgeJobManagerRecovery({ ...base, pods: [pod({ state })] });
    expect(v).toEqual({
      terminal: `the new JobManager ${name} cannot start its container flink-main-container: ImagePullBackOff (Back-off pulling image "flink:1.20-nope") (see \`kubectl describe pod -n ${namespace} ${name}\`)`,
      summary: `JobManager ${name}: ImagePullBackOff`,
    });
  });

  it('ends on a stuck container without a message too', () => {
    const v = judgeJobManagerRecovery({ ...base, pods: [pod({ state: { waiting: { reason: 'CreateContainerConfigError' } } })] });
    expect(v.terminal).toBe(`the new JobManager ${name} cannot start its container flink-main-container: CreateContainerConfigError (see \`kubectl describe pod -n ${namespace} ${name}\`)`);
  });

  it('ends on two restarts beyond those expected: a crash loop', () => {
    const v = judgeJobManagerRecovery({ ...base, pods: [pod({ restarts: 2, lastExit: 1 })] });
    expect(v).toEqual({
      terminal: `the new JobManager ${name} is crash-looping (last exit code 1 (Error), restarts 2) (see \`kubectl logs -n ${namespace} ${name} --previous\`)`,
      summary: `JobManager ${name}: crash-looping`,
    });
  });

  it('ends on CrashLoopBackOff after one restart beyond those expected', () => {
    const v = judgeJobManagerRecovery({ ...base, pods: [pod({ restarts: 1, lastExit: 1, state: { waiting: { reason: 'CrashLoopBackOff' } } })] });
    expect(v.terminal).toBe(`the new JobManager ${name} is crash-looping (CrashLoopBackOff, last exit code 1 (Error), restarts 1) (see \`kubectl logs -n ${namespace} ${name} --previous\`)`);
  });

  it('does not end on the restart the exec kill causes, nor on one more without CrashLoopBackOff', () => {
    const exec = { ...base, expectedRestarts: new Map([['u-killed', 1]]) };
    expect(judgeJobManagerRecovery({ ...exec, pods: [pod({ uid: 'u-killed', restarts: 2, lastExit: 137 })] }).terminal).toBeUndefined();
    expect(judgeJobManagerRecovery({ ...exec, pods: [pod({ uid: 'u-killed', restarts: 3, lastExit: 1 })] }).terminal).toMatch(/is crash-looping \(last exit code 1 \(Error\), restarts 3\)/);
  });

  it('leaves out a pod being deleted', () => {
    const v = judgeJobManagerRecovery({ ...base, pods: [pod({ deleting: true, state: { waiting: { reason: 'ErrImagePull' } } })] });
    expect(v).toEqual({ summary: `JobManager ${name}:ErrImagePull` });
  });

  it('ends when Flink reports the job FAILED, with its root cause (the recorded failed job)', () => {
    const failed = parseJobDetail(recorded('job-failed.json'));
    const rootCause = parseExceptions(recorded('job-exceptions-failed.json'))[0]!.message;
    expect(failed.state).toBe('FAILED');
    const v = judgeJobManagerRecovery({ ...base, job: { id: failed.id, state: failed.state, rootCause } });
    expect(v).toEqual({
      terminal: `Flink reports job ${failed.id} FAILED after the JobManager kill: ${rootCause} (see /jobs/${failed.id}/exceptions)`,
      summary: 'job FAILED',
    });
  });

  it('ends on a job CANCELED or FINISHED too, without a root cause', () => {
    const canceled = parseJobDetail(recorded('job-canceled.json'));
    expect(judgeJobManagerRecovery({ ...base, job: { id: canceled.id, state: canceled.state } })).toEqual({
      terminal: `Flink reports job ${canceled.id} CANCELED after the JobManager kill (see /jobs/${canceled.id}/exceptions)`,
      summary: 'job CANCELED',
    });
    expect(judgeJobManagerRecovery({ ...base, job: { id: canceled.id, state: 'FINISHED' } }).summary).toBe('job FINISHED');
  });
});
