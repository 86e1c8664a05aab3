// How the harness reaches Flink REST and Cassandra CQL on any cluster: a local TCP server whose every
// connection is tunnelled through the API server's pods/portforward subresource. Forwarding to a
// Service resolves a Ready backing pod per connection, so a client survives a JobManager failover
// the way it would through the Service itself.
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { PortForward, type V1Pod, type V1Service } from '@kubernetes/client-node';
import { log } from '../log.ts';
import type { Cluster } from './cluster.ts';
import { podReady } from './conditions.ts';

export interface ForwardTarget {
  namespace: string;
  /** A pod by name, or a Service whose Ready pods are used. */
  pod?: string;
  service?: string;
  /** Pod port (number or container port name), or Service port (number or name). */
  port: number | string;
}

export interface Forward {
  localPort: number;
  /** `http://127.0.0.1:<localPort>` */
  url: string;
  close(): Promise<void>;
}

function isReady(pod: V1Pod): boolean {
  return (
    pod.status?.phase === 'Running' &&
    !pod.metadata?.deletionTimestamp &&
    podReady(pod)
  );
}

function containerPort(pod: V1Pod, port: number | string): number | undefined {
  if (typeof port === 'number') return port;
  for (const c of pod.spec?.containers ?? []) {
    const found = (c.ports ?? []).find((p) => p.name === port);
    if (found) return found.containerPort;
  }
  return undefined;
}

async function resolveServicePod(cluster: Cluster, target: ForwardTarget): Promise<{ pod: string; port: number }> {
  const svc: V1Service = await cluster.core.readNamespacedService({ name: target.service!, namespace: target.namespace });
  const svcPort = (svc.spec?.ports ?? []).find((p) => p.port === target.port || p.name === target.port);
  if (!svcPort) throw new Error(`service ${target.namespace}/${target.service} has no port ${target.port}`);
  const selector = Object.entries(svc.spec?.selector ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  if (!selector) throw new Error(`service ${target.namespace}/${target.service} has no selector to find pods by`);
  const pods = await cluster.core.listNamespacedPod({ namespace: target.namespace, labelSelector: selector });
  const ready = pods.items.filter(isReady);
  const pod = ready[0];
  if (!pod) throw new Error(`service ${target.namespace}/${target.service} has no Ready pod (${pods.items.length} selected)`);
  const port = containerPort(pod, (svcPort.targetPort as number | string | undefined) ?? svcPort.port);
  if (port === undefined) throw new Error(`pod ${pod.metadata?.name} has no port named ${String(svcPort.targetPort)}`);
  return { pod: pod.metadata!.name!, port };
}

async function resolvePod(cluster: Cluster, target: ForwardTarget): Promise<{ pod: string; port: number }> {
  if (target.service) return resolveServicePod(cluster, target);
  if (typeof target.port === 'number') return { pod: target.pod!, port: target.port };
  const pod = await cluster.core.readNamespacedPod({ name: target.pod!, namespace: target.namespace });
  const port = containerPort(pod, target.port);
  if (port === undefined) throw new Error(`pod ${target.namespace}/${target.pod} has no port named ${target.port}`);
  return { pod: target.pod!, port };
}

export async function portForward(cluster: Cluster, target: ForwardTarget): Promise<Forward> {
  if (!target.pod === !target.service) throw new Error('port-forward needs exactly one of pod or service');
  const forwarder = new PortForward(cluster.kc, true);
  const what = `${target.service ? 'service' : 'pod'} ${target.namespace}/${target.service ?? target.pod}:${target.port}`;
  const sockets = new Set<Socket>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    resolvePod(cluster, target)
      .then(({ pod, port }) => forwarder.portForward(target.namespace, pod, [port], socket, socket, socket))
      .then((ws) => {
        const conn = typeof ws === 'function' ? ws() : ws;
        // The tunnel and the local socket live and die together.
        conn?.on('close', () => socket.destroy());
        socket.on('close', () => conn?.close());
      })
      .catch((err: unknown) => {
        log.debug(`port-forward to ${what} failed: ${(err as Error).message}`);
        socket.destroy();
      });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const localPort = (server.address() as AddressInfo).port;
  log.debug(`port-forward 127.0.0.1:${localPort} → ${what}`);
  return {
    localPort,
    url: `http://127.0.0.1:${localPort}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
