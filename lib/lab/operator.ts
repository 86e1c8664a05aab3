// The real Flink Kubernetes Operator in the lab, installed the way its Helm chart installs it: CRDs
// from the released artifact, a namespace, service account and RBAC, the flink-operator-config
// ConfigMap, and the operator Deployment (webhook off: its jar is not on Maven Central). Objects are
// written from the chart's templates' shape, not rendered by Helm.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments } from 'yaml';
import type { V1Deployment } from '@kubernetes/client-node';
import { connect, type Cluster } from '../k8s/cluster.ts';
import { apply, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { log } from '../log.ts';
import { ensureImages, labImages, labImageVersions } from './images/index.ts';
import { Deadline, until } from '../util/until.ts';

export const operatorNamespace = 'flink-operator';
const name = 'flink-kubernetes-operator';
const labels = {
  'app.kubernetes.io/name': name,
  'app.kubernetes.io/version': labImageVersions.operator,
  'app.kubernetes.io/managed-by': 'streamcert-lab',
};

/** Operator settings (kubernetes.operator.*) and defaults for the Flink clusters it deploys. */
const flinkConf = `# Defaults for deployed Flink clusters (a FlinkDeployment's flinkConfiguration overrides them).
taskmanager.numberOfTaskSlots: 1
parallelism.default: 1
# Lab setting: Flink's JVMs use the client compiler only. On 2 cores, C2's compile bursts during a
# JobManager's start-up doubled the time to a RUNNING job (38 s → 17.5 s for 02 without them; the
# run's CPU 48 → 32 s). Listed in the report's environment block (lib/lab/settings.ts); a
# FlinkDeployment that sets env.java.opts.all itself replaces it.
env.java.opts.all: -XX:TieredStopAtLevel=1
# Operator: status refresh fast enough for a lab run. Defaults: reconcile 60 s, progress check 10 s,
# REST-ready delay 10 s, rate limiter 5 reconciles per resource per 15 s. The JobManager's startup
# probe (/config) already means REST answers when the operator sees the port, so the 10 s delay is pure
# wait. A deployment's first reconciles (deploy, Deployment events, port check) use up the default
# limiter's 5, and the JOSDK then holds the next one back (its log: "Rate limited resource … rescheduled
# in 11835 millis"); with 20, READY comes 1 s after the port (it was 10-14 s).
kubernetes.operator.reconcile.interval: 5 s
kubernetes.operator.observer.progress-check.interval: 5 s
kubernetes.operator.observer.rest-ready.delay: 1 s
kubernetes.operator.rate-limiter.limit: 20
kubernetes.operator.health.probe.enabled: true
kubernetes.operator.health.probe.port: 8085
kubernetes.operator.metrics.reporter.slf4j.factory.class: org.apache.flink.metrics.slf4j.Slf4jReporterFactory
kubernetes.operator.metrics.reporter.slf4j.interval: 5 MINUTE
`;

const log4jOperator = `rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d %-30c{1.} [%-5level]%notEmpty{[%X{resource.namespace}/}%notEmpty{%X{resource.name}]} %msg%n%throwable
logger.operator.name = org.apache.flink.kubernetes.operator
logger.operator.level = INFO
`;

const log4jConsole = `rootLogger.level = INFO
rootLogger.appenderRef.console.ref = ConsoleAppender
rootLogger.appenderRef.rolling.ref = RollingFileAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.kafka.name= org.apache.kafka
logger.kafka.level = INFO
logger.netty.name = org.apache.flink.shaded.netty4.io.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
appender.console.name = ConsoleAppender
appender.console.type = CONSOLE
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.rolling.name = RollingFileAppender
appender.rolling.type = RollingFile
appender.rolling.append = false
appender.rolling.fileName = \${sys:log.file}
appender.rolling.filePattern = \${sys:log.file}.%i
appender.rolling.layout.type = PatternLayout
appender.rolling.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.rolling.policies.type = Policies
appender.rolling.policies.size.type = SizeBasedTriggeringPolicy
appender.rolling.policies.size.size=100MB
appender.rolling.strategy.type = DefaultRolloverStrategy
appender.rolling.strategy.max = 10
`;

const configHash = createHash('sha256').update(flinkConf).update(log4jOperator).update(log4jConsole).digest('hex').slice(0, 16);

export function operatorManifests(): K8sObject[] {
  const meta = (n: string, namespaced = true) => ({ name: n, ...(namespaced ? { namespace: operatorNamespace } : {}), labels });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: operatorNamespace, labels } },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('flink-operator') },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: meta('flink-operator', false),
      rules: [
        { apiGroups: [''], resources: ['pods', 'services', 'events', 'configmaps', 'secrets'], verbs: ['*'] },
        { apiGroups: [''], resources: ['nodes'], verbs: ['list'] },
        { apiGroups: ['apps'], resources: ['deployments', 'deployments/finalizers', 'replicasets'], verbs: ['*'] },
        { apiGroups: ['extensions', 'networking.k8s.io'], resources: ['deployments', 'ingresses'], verbs: ['*'] },
        {
          apiGroups: ['flink.apache.org'],
          resources: [
            'flinkdeployments',
            'flinkdeployments/status',
            'flinkdeployments/finalizers',
            'flinksessionjobs',
            'flinksessionjobs/status',
            'flinksessionjobs/finalizers',
          ],
          verbs: ['*'],
        },
        { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: ['*'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: meta('flink-operator-role-binding', false),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'flink-operator' },
      subjects: [{ kind: 'ServiceAccount', name: 'flink-operator', namespace: operatorNamespace }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('flink-operator-config'),
      data: { 'flink-conf.yaml': flinkConf, 'log4j-operator.properties': log4jOperator, 'log4j-console.properties': log4jConsole },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta(name),
      spec: {
        replicas: 1,
        strategy: { type: 'Recreate' },
        selector: { matchLabels: { 'app.kubernetes.io/name': name } },
        template: {
          // The configuration's hash on the pod template (as Helm charts do): a changed setting rolls the
          // operator, which otherwise keeps the configuration it read at start.
          metadata: { labels, annotations: { 'streamcert.io/config-hash': configHash } },
          spec: {
            serviceAccountName: 'flink-operator',
            securityContext: { runAsUser: 9999, runAsGroup: 9999, fsGroup: 9999 },
            containers: [
              {
                name: 'flink-kubernetes-operator',
                image: labImages.operator,
                imagePullPolicy: 'IfNotPresent',
                args: ['operator'],
                env: [
                  { name: 'OPERATOR_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
                  { name: 'OPERATOR_NAME', value: name },
                  { name: 'FLINK_CONF_DIR', value: '/opt/flink/conf' },
                  { name: 'LOG_CONFIG', value: '-Dlog4j.configurationFile=/opt/flink/conf/log4j-operator.properties' },
                  // Without a cap the JVM sizes its heap from the machine, not the pod.
                  { name: 'JVM_ARGS', value: '-Xmx384m -Xms128m' },
                ],
                ports: [{ name: 'health-port', containerPort: 8085 }],
                resources: { requests: { cpu: '100m', memory: '512Mi' }, limits: { cpu: '1', memory: '768Mi' } },
                startupProbe: { httpGet: { path: '/', port: 'health-port' }, periodSeconds: 2, failureThreshold: 90 },
                livenessProbe: { httpGet: { path: '/', port: 'health-port' }, periodSeconds: 10 },
                readinessProbe: { httpGet: { path: '/', port: 'health-port' }, periodSeconds: 5 },
                volumeMounts: [{ name: 'flink-operator-config-volume', mountPath: '/opt/flink/conf' }],
              },
            ],
            volumes: [{ name: 'flink-operator-config-volume', configMap: { name: 'flink-operator-config' } }],
          },
        },
      },
    },
  ];
}

async function crdObjects(paths: string[]): Promise<K8sObject[]> {
  const out: K8sObject[] = [];
  for (const p of paths) {
    for (const doc of parseAllDocuments(await readFile(p, 'utf8'))) {
      const obj = doc.toJSON() as K8sObject | null;
      if (obj?.kind === 'CustomResourceDefinition') out.push(obj);
    }
  }
  return out;
}

/** Installs (or updates) CRDs and the operator, and waits until its Deployment is Available. */
export async function installOperator(kubeconfig: string, timeoutMs = 240_000): Promise<Cluster> {
  const { cluster } = await connect({ kubeconfig }, 'lab', 15_000);
  const { crds } = await ensureImages({ progress: false });
  for (const crd of await crdObjects(crds)) await apply(cluster, crd);
  for (const obj of operatorManifests()) await apply(cluster, obj);
  log.info(`  flink-kubernetes-operator ${labImageVersions.operator}: waiting for the Deployment to be Available`);
  const deadline = Deadline.in(timeoutMs);
  await until(
    watchedObject<true, V1Deployment & K8sObject>(
      cluster,
      { kind: kinds.Deployment, namespace: operatorNamespace, name },
      {
        description: 'the Flink operator Deployment to be Available',
        // Rolled out, not merely Available: right after a changed template the old pod still counts as available.
        check: (d) =>
          d &&
          (d.status?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 1) &&
          d.status?.updatedReplicas === 1 &&
          d.status?.replicas === 1 &&
          d.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True')
            ? true
            : undefined,
        observe: (d) => `${d?.status?.readyReplicas ?? 0}/1 ready`,
      },
    ),
    deadline,
  );
  log.info(`  flink-kubernetes-operator: Available after ${(deadline.elapsedMs() / 1000).toFixed(1)}s`);
  return cluster;
}
