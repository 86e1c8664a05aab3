// The lab's artifact server: serves the Flink image's example jars (and the project's job jar) over
// HTTP, so FlinkSessionJobs, whose jars the operator downloads, have somewhere to download them from.
// On a real cluster this is whatever artifact repository the platform uses.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';

const log = (msg: string) => process.stdout.write(`${new Date().toISOString()} artifacts: ${msg}\n`);

export function runArtifactServer(dirs: string[], host: string, port: number): Promise<void> {
  const server = createServer(async (req, res) => {
    const name = basename(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    for (const dir of dirs) {
      const file = join(dir, name);
      const st = await stat(file).catch(() => undefined);
      if (st?.isFile() && name.endsWith('.jar')) {
        res.writeHead(200, { 'content-type': 'application/java-archive', 'content-length': st.size });
        createReadStream(file).pipe(res);
        log(`200 ${req.method} ${name} to ${req.socket.remoteAddress}`);
        return;
      }
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`no such jar: ${name}\n`);
    log(`404 ${req.method} ${req.url}`);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      log(`serving ${dirs.join(', ')} on http://${host}:${port}/`);
      resolve();
    });
  });
}
