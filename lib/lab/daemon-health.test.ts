import { mkdtemp, rm } from 'node:fs/promises';
import http2 from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { criVersion } from './cri.ts';

// The lab's health waits, against real processes and a real HTTP/2 server: they must not take a
// daemon that exited, or a containerd whose CRI service is still starting, for "not ready yet".
let home: string;
let lab: { startDaemon: typeof import('./procs.ts').startDaemon; waitFor: typeof import('./exec.ts').waitFor };
beforeAll(async () => {
  home = await mkdtemp(join(tmpdir(), 'streamcert-health-'));
  vi.stubEnv('STREAMCERT_HOME', home);
  vi.resetModules();
  const [{ startDaemon }, { waitFor }] = await Promise.all([import('./procs.ts'), import('./exec.ts')]);
  lab = { startDaemon, waitFor };
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await rm(home, { recursive: true, force: true });
});

describe('waitFor on a daemon', () => {
  it('ends at once, with the last line of its log, when the daemon exits', async () => {
    await lab.startDaemon({ name: 'quitter', bin: process.execPath, args: ['-e', 'console.log("starting"); console.log("failed to run: server is not initialized yet"); console.log("goroutine 1 [running]:"); process.exit(1)'] });
    const started = Date.now();
    await expect(lab.waitFor('quitter /healthz', async () => false, { timeoutMs: 20_000, quiet: true, daemon: 'quitter' })).rejects.toThrow(
      /quitter \(pid \d+\) is not running; .*quitter\.log says: failed to run: server is not initialized yet/,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps waiting while the daemon runs, and a failing check is "not yet"', async () => {
    await lab.startDaemon({ name: 'sleeper', bin: process.execPath, args: ['-e', 'setTimeout(() => {}, 30_000)'] });
    let calls = 0;
    const value = await lab.waitFor(
      'sleeper /healthz',
      async () => {
        if (++calls < 3) throw new Error('connection refused');
        return 'up';
      },
      { timeoutMs: 10_000, intervalMs: 10, quiet: true, daemon: 'sleeper' },
    );
    expect(value).toBe('up');
    const { stopDaemon } = await import('./procs.ts');
    await stopDaemon('sleeper', 1_000);
  });
});

describe('criVersion', () => {
  async function grpcServer(status: number, message?: string): Promise<{ socket: string; close: () => Promise<void> }> {
    const socket = join(home, `cri-${status}.sock`);
    const server = http2.createServer();
    server.on('stream', (stream, headers) => {
      expect(headers[':path']).toBe('/runtime.v1.RuntimeService/Version');
      stream.on('data', () => undefined);
      stream.on('end', () => {
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': String(status), ...(message ? { 'grpc-message': encodeURIComponent(message) } : {}) }));
        stream.end();
      });
    });
    await new Promise<void>((r) => server.listen(socket, r));
    return { socket, close: () => new Promise((r) => server.close(() => r())) };
  }

  it('is ok when the service answers status 0', async () => {
    const s = await grpcServer(0);
    expect(await criVersion(s.socket)).toEqual({ ok: true });
    await s.close();
  });

  it("is not ok, with the service's message, while the CRI plugin is still starting", async () => {
    const s = await grpcServer(2, 'server is not initialized yet');
    expect(await criVersion(s.socket)).toEqual({ ok: false, message: 'server is not initialized yet' });
    await s.close();
  });

  it('is not ok when nothing listens on the socket', async () => {
    const answer = await criVersion(join(home, 'absent.sock'));
    expect(answer.ok).toBe(false);
    expect(answer.message).toMatch(/ENOENT/);
  });
});
