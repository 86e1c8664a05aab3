// 03 runs two jobs on a session cluster: a FlinkSessionJob, whose jar the operator downloads over
// http(s), and a job submitted through Flink's REST API, whose jar streamcert uploads. On a real
// cluster there is no artifact server to take them from, so the suite brings its own: a pod in the
// suite's namespace, from the Flink image the run already uses (config.flink.image), serving jars
// that image carries (its /opt/flink/examples). The server is Flink's own HistoryServer, which serves
// any file in its web directory: every Flink image has it, while python, jwebserver (JDK 18+) or
// javac (for a single-file Java server) are in neither the upstream image (a JRE) nor the lab's.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { V1Pod } from '@kubernetes/client-node';
import type { StreamcertConfig } from '../config/schema.ts';
import type { Cluster } from '../k8s/cluster.ts';
import type { K8sObject } from '../k8s/objects.ts';
import { podLogs } from '../k8s/pods.ts';
import { portForward } from '../k8s/portforward.ts';
import { kinds } from '../k8s/resources.ts';
import { watched } from '../k8s/wait.ts';
import { podReady } from '../k8s/conditions.ts';
import { WaitEnded } from '../util/time.ts';
import { Deadline, until } from '../util/until.ts';

export const jarServerName = 'job-jars';
const port = 8080;

/** A jar inside the Flink image, served under `/<name>`. */
export interface ServedJar {
  name: string;
  /** Absolute path in the image, e.g. /opt/flink/examples/streaming/TopSpeedWindowing.jar. */
  imagePath: string;
}

/** Where the operator (any pod of the cluster) downloads a served jar. `<ns>.svc` resolves under every cluster domain. */
export function servedJarUrl(namespace: string, name: string): string {
  return `http://${jarServerName}.${namespace}.svc:${port}/${name}`;
}

const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The server's shell script: copy the jars into the web directory, a configuration of its own, then the HistoryServer. */
function serverScript(jars: ServedJar[]): string {
  const d = '/tmp/job-jars';
  return [
    'set -e',
    `mkdir -p ${d}/conf ${d}/log ${d}/archive ${d}/web`,
    // Copies, not links: the HistoryServer refuses a file whose real path leaves its web directory.
    ...jars.map((j) => `cp ${quote(j.imagePath)} ${quote(`${d}/web/${j.name}`)}`),
    `cp "$FLINK_HOME/conf/log4j-console.properties" ${d}/conf/ 2>/dev/null || true`,
    // It refuses to start without an archive directory to watch: an empty one.
    `printf '%s\\n' 'historyserver.web.address: 0.0.0.0' 'historyserver.web.port: ${port}' 'historyserver.web.tmpdir: ${d}/web' 'historyserver.archive.fs.dir: file://${d}/archive' 'env.log.dir: ${d}/log' > ${d}/conf/config.yaml`,
    `export FLINK_CONF_DIR=${d}/conf FLINK_LOG_DIR=${d}/log`,
    'exec "$FLINK_HOME/bin/historyserver.sh" start-foreground',
  ].join('\n');
}

export function jarServerManifests(config: StreamcertConfig, namespace: string, labels: Record<string, string>, jars: ServedJar[]): K8sObject[] {
  const selector = { 'streamcert.io/component': jarServerName };
  return [
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: jarServerName, namespace, labels: { ...labels, ...selector } },
      spec: {
        restartPolicy: 'Always',
        // The Flink images' own user (uid 9999 upstream and on the lab); the server writes only under /tmp.
        securityContext: { runAsNonRoot: true, runAsUser: 9999, runAsGroup: 9999 },
        containers: [
          {
            name: 'server',
            image: config.flink.image,
            command: ['sh', '-c', serverScript(jars)],
            ports: [{ name: 'http', containerPort: port }],
            // Ready means the first jar is served, not merely that the port is open.
            readinessProbe: { httpGet: { path: `/${jars[0]!.name}`, port: 'http' }, periodSeconds: 2, failureThreshold: 1 },
            resources: { requests: { cpu: '50m', memory: '256Mi' }, limits: { memory: '384Mi' } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: jarServerName, namespace, labels },
      spec: { selector, ports: [{ name: 'http', port, targetPort: 'http', protocol: 'TCP' }] },
    },
  ];
}

const terminalWaiting = /ImagePullBackOff|ErrImagePull|CrashLoopBackOff|CreateContainerConfigError|InvalidImageName/;

/** Waits until the jar server serves; a pod that cannot start ends the wait at once with its reason and log. */
export async function untilJarServerReady(cluster: Cluster, namespace: string, timeoutMs: number): Promise<void> {
  let failure: string | undefined;
  try {
    await until(
      watched<true, V1Pod & K8sObject>(
        cluster,
        { kind: kinds.Pod, namespace, labelSelector: `streamcert.io/component=${jarServerName}` },
        {
          description: `job-jar server ${namespace}/${jarServerName} Ready (serving the jars)`,
          check: (pods) => {
            const pod = pods[0];
            const st = pod?.status?.containerStatuses?.[0];
            const waiting = st?.state?.waiting;
            if (waiting?.reason && terminalWaiting.test(waiting.reason)) {
              failure = `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''}`;
              throw new WaitEnded(`job-jar server ${namespace}/${jarServerName} cannot start: ${failure}`);
            }
            return podReady(pod) ? true : undefined;
          },
          observe: (pods) => {
            const st = pods[0]?.status?.containerStatuses?.[0];
            return pods[0]
              ? `phase ${pods[0].status?.phase}, restarts ${st?.restartCount ?? 0}${st?.state?.waiting ? `, ${st.state.waiting.reason}` : ''}`
              : 'no pod yet';
          },
        },
      ),
      Deadline.in(timeoutMs),
    );
  } catch (err) {
    const log = await podLogs(cluster, namespace, jarServerName, { tailLines: 20, previous: /CrashLoop/.test(failure ?? '') }).catch(() => '');
    if (log.trim()) (err as Error).message += `\n  its log ends:\n${log.trimEnd().split('\n').slice(-8).map((l) => `    ${l}`).join('\n')}`;
    throw err;
  }
}

/**
 * A served jar as a local file for the REST upload: the bytes the operator downloads, fetched through
 * a port-forward (streamcert may run outside the cluster, where the Service name does not resolve).
 */
export async function downloadServedJar(cluster: Cluster, namespace: string, name: string): Promise<string> {
  const forward = await portForward(cluster, { namespace, service: jarServerName, port });
  try {
    const res = await fetch(`${forward.url}/${name}`, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`job-jar server ${namespace}/${jarServerName} answered HTTP ${res.status} for /${name}`);
    const file = join(await mkdtemp(join(tmpdir(), 'streamcert-jar-')), name);
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    return file;
  } finally {
    await forward.close();
  }
}
