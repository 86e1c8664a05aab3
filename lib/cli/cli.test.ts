// The command line as a user meets it, with no cluster: listing, planning, bad input and an
// unreachable cluster each end as documented.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { streamcert } from '../selftest/streamcert.ts';

describe('streamcert command line without a cluster', () => {
  it('lists the suites with what they validate and need', async () => {
    const run = await streamcert(['list']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/^01-platform {2}Platform readiness/m);
    expect(run.stdout).toMatch(/04-jobmanager-ha[\s\S]*needs: 01-platform/);
  });

  it('plans the manifests of a run offline', async () => {
    const run = await streamcert(['plan', '--offline', '--suite', '02']);
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/kind: FlinkDeployment/);
    expect(run.stdout).toMatch(/jarURI: local:\/\/\/opt\/flink\/examples\/streaming\/TopSpeedWindowing\.jar/);
    expect(run.stdout).toMatch(/streamcert\.io\/run-id: planned/);
  });

  it('rejects bad configuration with exit 2, naming every bad field, before contacting anything', async () => {
    const file = join(tmpdir(), `streamcert-bad-${process.pid}.yaml`);
    writeFileSync(file, 'target: moon\nflink:\n  flinkVersion: "1.20"\ntimeouts:\n  jobRunning: soon\nnamespaces:\n  operator: Not_A_Name\n');
    const run = await streamcert(['run', '--config', file]);
    expect(run.exitCode).toBe(2);
    for (const field of ['target', 'flink.flinkVersion', 'timeouts.jobRunning', 'namespaces.operator']) {
      expect(run.stderr).toContain(`  - ${field}:`);
    }
    expect(run.stderr).not.toMatch(/cannot reach|kubeconfig not found/);
  });

  it('ends with exit 3 in seconds and one line when the cluster cannot be reached', async () => {
    const kubeconfig = join(tmpdir(), `streamcert-unreachable-${process.pid}.yaml`);
    writeFileSync(
      kubeconfig,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters: [{name: nowhere, cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}}]',
        'users: [{name: u, user: {token: not-a-real-token}}]',
        'contexts: [{name: nowhere, context: {cluster: nowhere, user: u}}]',
        'current-context: nowhere',
      ].join('\n'),
    );
    const run = await streamcert(['run', '--kubeconfig', kubeconfig]);
    expect(run.exitCode).toBe(3);
    expect(run.seconds).toBeLessThan(20);
    const lines = run.stderr.trim().split('\n').filter((l) => l.startsWith('streamcert:'));
    expect(lines).toEqual([expect.stringMatching(/cannot reach the Kubernetes API at https:\/\/127\.0\.0\.1:9 \(context nowhere\)/)]);
    expect(run.stderr).not.toContain('not-a-real-token');
  });

  it('a --grep that matches no check exits 2 naming the filter, before contacting any cluster', async () => {
    // 04's checks are named `application: …` / `session: …` in every report; the suite id is not part of a check name.
    const run = await streamcert(['run', '--suite', '04', '--grep', '^04-jobmanager', '--kubeconfig', '/nonexistent']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('streamcert: --grep "^04-jobmanager" matches no check of 04-jobmanager-ha (');
    expect(run.stderr).toContain('e.g. "application: ');
    expect(run.stderr).not.toMatch(/kubeconfig|cannot reach/);
    const bad = await streamcert(['run', '--grep', '(', '--kubeconfig', '/nonexistent']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/--grep "\(" is not a regular expression/);
  }, 60_000);

  it('rejects an unknown suite with exit 2', async () => {
    const run = await streamcert(['run', '--suite', '42', '--kubeconfig', '/nonexistent']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/unknown suite 42/);
  });
});
