// Whether containerd's CRI service answers, asked the way the kubelet asks it. containerd answers its
// own API (`ctr version`) before its CRI plugin has recovered its containers; a kubelet started then
// fails "validate CRI v1 runtime API … server is not initialized yet" and exits. One gRPC call over
// HTTP/2 on the socket is all it takes, so no gRPC library: an empty VersionRequest is 5 bytes.
import http2 from 'node:http2';
import net from 'node:net';

export interface CriAnswer {
  ok: boolean;
  /** What the service (or the socket) said when it did not answer OK. */
  message?: string;
}

export function criVersion(socket: string, timeoutMs = 3_000): Promise<CriAnswer> {
  return new Promise((resolve) => {
    const session = http2.connect('http://localhost', { createConnection: () => net.connect(socket) });
    let settled = false;
    const done = (answer: CriAnswer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      session.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done({ ok: false, message: `no answer within ${timeoutMs} ms` }), timeoutMs);
    session.on('error', (e) => done({ ok: false, message: e.message }));
    const req = session.request({
      ':method': 'POST',
      ':path': '/runtime.v1.RuntimeService/Version',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    // gRPC puts its status in the trailers, or in the headers of a response without a body.
    let status: string | undefined;
    let message: string | undefined;
    const read = (h: http2.IncomingHttpHeaders): void => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
      if (h['grpc-message'] !== undefined) message = decodeURIComponent(String(h['grpc-message']));
    };
    req.on('response', read);
    req.on('trailers', read);
    req.on('data', () => undefined);
    req.on('end', () => done(status === '0' ? { ok: true } : { ok: false, message: message || `gRPC status ${status ?? 'missing'}` }));
    req.on('error', (e) => done({ ok: false, message: e.message }));
    // Uncompressed flag, then the message length (0): an empty VersionRequest.
    req.end(Buffer.alloc(5));
  });
}
