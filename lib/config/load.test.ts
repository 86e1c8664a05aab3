import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { envPath, loadConfig, maskSecrets } from './load.ts';
import { toMillis } from './schema.ts';

function dirWith(yaml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamcert-config-'));
  if (yaml !== undefined) writeFileSync(join(dir, 'streamcert.config.yaml'), yaml);
  return dir;
}

describe('configuration', () => {
  it('defaults to the lab when nothing is configured', () => {
    const { config, file } = loadConfig({ cwd: dirWith(), env: {} });
    expect(file).toBeUndefined();
    expect(config.target).toBe('lab');
    expect(config.flink.image).toBe('flink:1.20');
    expect(config.wordCount.parallelism).toEqual([1, 2, 4, 8, 16, 32]);
    expect(config.timeouts.jobRunning).toBe('5m');
  });

  it('merges file, then environment, then flags', () => {
    const cwd = dirWith('target: cluster\nflink:\n  image: flink:1.19\n  flinkVersion: v1_19\n');
    const { config, origins } = loadConfig({
      cwd,
      env: { STREAMCERT_FLINK__IMAGE: 'flink:1.18', STREAMCERT_WORD_COUNT__PARALLELISM: '[1, 2]' },
      sets: ['flink.image=flink:1.20', 'cassandra.size=3'],
    });
    expect(config.target).toBe('cluster');
    expect(config.flink.flinkVersion).toBe('v1_19');
    expect(config.flink.image).toBe('flink:1.20');
    expect(config.wordCount.parallelism).toEqual([1, 2]);
    expect(config.cassandra.size).toBe(3);
    expect(origins.get('flink.image')).toBe('--set flink.image');
    expect(origins.get('wordCount.parallelism')).toBe('env STREAMCERT_WORD_COUNT__PARALLELISM');
  });

  it('names every bad field with its path and source', () => {
    const cwd = dirWith('target: moon\nflink:\n  flinkVersion: "1.20"\n  imge: x\ntimeouts:\n  jobRunning: soon\n');
    let err: unknown;
    try {
      loadConfig({ cwd, env: { STREAMCERT_CASSANDRA__SIZE: '0' } });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^target: .*lab.*cluster.*streamcert\.config\.yaml/m);
    expect(problems).toMatch(/^flink\.flinkVersion: the CRD form, e\.g\. v1_20/m);
    expect(problems).toMatch(/^flink\.imge: unknown setting/m);
    expect(problems).toMatch(/^timeouts\.jobRunning: /m);
    expect(problems).toMatch(/^cassandra\.size: .*\(from env STREAMCERT_CASSANDRA__SIZE\)/m);
    expect((err as ConfigError).exitCode).toBe(2);
  });

  it('rejects a missing explicit config file and malformed --set', () => {
    expect(() => loadConfig({ file: '/nonexistent/streamcert.yaml', env: {} })).toThrow(/config file not found/);
    expect(() => loadConfig({ cwd: dirWith(), env: {}, sets: ['flink.image'] })).toThrow(/expected path=value/);
  });

  it('maps environment variable names to config paths', () => {
    expect(envPath('STREAMCERT_FLINK_CLUSTER__KUBECONFIG')).toEqual(['flinkCluster', 'kubeconfig']);
    expect(envPath('STREAMCERT_TIMEOUTS__JOB_RUNNING')).toEqual(['timeouts', 'jobRunning']);
    expect(envPath('STREAMCERT_HOME')).toBeUndefined();
    expect(envPath('HOME')).toBeUndefined();
  });

  it('masks secrets for printing', () => {
    const { config } = loadConfig({
      cwd: dirWith(),
      env: {},
      sets: ['cassandra.credentials.username=admin', 'cassandra.credentials.password=hunter2'],
    });
    const masked = JSON.stringify(maskSecrets(config));
    expect(masked).not.toContain('hunter2');
    expect(masked).toContain('admin');
  });

  it('parses durations', () => {
    expect(toMillis('90s')).toBe(90_000);
    expect(toMillis('5m')).toBe(300_000);
    expect(toMillis('1500ms')).toBe(1500);
    expect(toMillis(2)).toBe(2000);
  });
});
