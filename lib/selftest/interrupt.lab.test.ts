// Ctrl-C in the middle of a suite: the run stops, says so, and removes what it had created.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { list, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { labCluster } from '../lab/testing.ts';
import { runIdLabel } from '../run/context.ts';

const bin = fileURLToPath(new URL('../../bin/streamcert.mjs', import.meta.url));

it('Ctrl-C during a suite exits 130 and leaves none of the run\'s objects behind', async () => {
  const cluster = await labCluster();
  const child = spawn(process.execPath, [bin, 'run', '--suite', '02'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let runId = '';
  const applied = new Promise<void>((resolve) => {
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      runId ||= /run (\d{8}-\d{6}-[0-9a-f]{4}):/.exec(stderr)?.[1] ?? '';
      // The FlinkDeployment exists once its first progress line shows the operator's status.
      if (/lifecycle=/.test(stderr)) resolve();
    });
  });
  await applied;
  child.kill('SIGINT');
  const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  expect(exitCode, stderr.slice(-2000)).toBe(130);
  expect(stderr).toMatch(/SIGINT: cancelling run/);
  const left = await list<K8sObject>(cluster, kinds.Namespace, { labelSelector: `${runIdLabel}=${runId}` });
  expect(left.map((n) => n.metadata.name)).toEqual([]);
});
