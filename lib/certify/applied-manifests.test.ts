import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { K8sObject } from '../k8s/objects.ts';
import { loadConfig } from '../config/load.ts';
import { removeRunContext, runContextEnv, runLabels, writeRunContext } from '../run/context.ts';
import { manifestFileName, recordAppliedManifest, redactSecrets } from './applied-manifests.ts';

const secret: K8sObject = {
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name: 'cassandra-login', namespace: 'sc-x-08', labels: runLabels('x', '08-flink-to-cassandra') },
  data: { username: 'ZGVtbw==', password: 'c2VjcmV0' },
  stringData: { extra: 'plain secret' },
};
const configMap: K8sObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'job config', namespace: 'sc-x-08' }, data: { a: '1' } };

describe('applied manifests', () => {
  let root: string;
  let ctxFile: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'streamcert-manifests-'));
  });
  afterAll(async () => {
    delete process.env[runContextEnv];
    if (ctxFile) removeRunContext(ctxFile);
    await rm(root, { recursive: true, force: true });
  });

  it('redacts Secret values to their key names and leaves other kinds alone', () => {
    const redacted = redactSecrets(secret) as typeof secret & { data: object; stringData: object };
    expect(redacted.data).toEqual({ username: '<redacted>', password: '<redacted>' });
    expect(redacted.stringData).toEqual({ extra: '<redacted>' });
    expect(secret.data).toEqual({ username: 'ZGVtbw==', password: 'c2VjcmV0' });
    expect(redactSecrets(configMap)).toBe(configMap);
    expect(manifestFileName(7, configMap)).toBe('007-configmap-sc-x-08-job_config.yaml');
  });

  it('writes nothing outside a run', async () => {
    delete process.env[runContextEnv];
    await recordAppliedManifest(configMap);
    expect(await readdir(root)).toEqual([]);
  });

  it('writes each applied object of a run under manifests/<suite>/, in order, secrets redacted', async () => {
    const reportDir = path.join(root, 'run-x');
    ctxFile = writeRunContext({ runId: 'x', profile: 'certification', config: loadConfig({ env: {} }).config, reportDir, startedAt: new Date().toISOString(), strict: true });
    process.env[runContextEnv] = ctxFile;
    await recordAppliedManifest(secret);
    await recordAppliedManifest(configMap);
    // The Secret names its suite by label; the ConfigMap has none, so the running test file names it.
    expect(await readdir(path.join(reportDir, 'manifests', '08-flink-to-cassandra'))).toEqual(['001-secret-sc-x-08-cassandra-login.yaml']);
    const text = await readFile(path.join(reportDir, 'manifests', '08-flink-to-cassandra', '001-secret-sc-x-08-cassandra-login.yaml'), 'utf8');
    expect(text).toMatch(/^# applied \S+ by check "writes each applied object/);
    expect(text).not.toMatch(/c2VjcmV0|ZGVtbw==|plain secret/);
    expect(parse(text)).toMatchObject({ kind: 'Secret', data: { username: '<redacted>', password: '<redacted>' } });
    expect(await readdir(path.join(reportDir, 'manifests', 'applied-manifests'))).toEqual(['001-configmap-sc-x-08-job_config.yaml']);
  });
});
