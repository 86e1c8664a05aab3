// Self-test faults that break a Flink property for real on the lab, where no configuration can
// (the operator always sets the TaskManagers' CPU request from spec.taskManager.resource.cpu).
import type { V1Deployment } from '@kubernetes/client-node';
import type { Cluster } from '../k8s/cluster.ts';
import { apply, type K8sObject } from '../k8s/objects.ts';
import { kinds } from '../k8s/resources.ts';
import { watchedObject } from '../k8s/wait.ts';
import { Deadline, until } from '../util/until.ts';

/**
 * Strips the CPU request and limit from every container of a Deployment and waits until its pods are
 * the new ones: pods that request no CPU, whose utilisation an HPA can never compute. Standalone mode
 * leaves the TaskManager Deployment to whoever scales it, so the operator does not put them back.
 */
export async function removeCpuRequests(cluster: Cluster, namespace: string, name: string, timeoutMs: number): Promise<void> {
  const deployment = await cluster.apps.readNamespacedDeployment({ name, namespace });
  for (const c of deployment.spec?.template?.spec?.containers ?? []) {
    delete c.resources?.requests?.cpu;
    delete c.resources?.limits?.cpu;
  }
  const replaced = await cluster.apps.replaceNamespacedDeployment({ name, namespace, body: deployment });
  const generation = replaced.metadata?.generation ?? 0;
  await until(
    watchedObject<true, V1Deployment>(
      cluster,
      { kind: kinds.Deployment, namespace, name },
      {
        description: `Deployment ${namespace}/${name} to roll out its pods without a CPU request`,
        check: (d) => {
          const st = d?.status;
          const want = d?.spec?.replicas ?? 1;
          return st && (st.observedGeneration ?? 0) >= generation && st.updatedReplicas === want && st.readyReplicas === want && st.replicas === want
            ? true
            : undefined;
        },
        observe: (d) =>
          `generation ${d?.status?.observedGeneration ?? '-'}/${generation}, updated ${d?.status?.updatedReplicas ?? 0}, ready ${d?.status?.readyReplicas ?? 0}, total ${d?.status?.replicas ?? 0}`,
      },
    ),
    Deadline.in(timeoutMs),
  );
}

type FlinkDeploymentObject = K8sObject & { spec: { job?: { parallelism?: number } }; status?: { error?: string } };

/**
 * Makes the operator log a real ERROR about a resource of `namespace`: a FlinkDeployment (a copy of
 * `template` named selftest-invalid) asking for parallelism -1, which the operator's validator rejects
 * with `[ERROR][<namespace>/selftest-invalid] Validation failed: …`. Nothing is deployed for it; the
 * run's teardown deletes it with the namespace. Returns once the operator has written the error.
 */
export async function provokeOperatorValidationError(cluster: Cluster, template: K8sObject, timeoutMs: number): Promise<void> {
  const invalid = structuredClone(template) as FlinkDeploymentObject;
  invalid.metadata = { ...invalid.metadata, name: 'selftest-invalid' };
  delete invalid.metadata.resourceVersion;
  delete invalid.metadata.uid;
  invalid.spec.job = { ...invalid.spec.job, parallelism: -1 };
  await apply(cluster, invalid);
  await until(
    watchedObject<true, FlinkDeploymentObject>(
      cluster,
      { kind: kinds.FlinkDeployment, namespace: invalid.metadata.namespace, name: 'selftest-invalid' },
      {
        description: 'the operator to reject FlinkDeployment selftest-invalid (self-test fault operator-error-in-namespace)',
        check: (fd) => (fd?.status?.error?.includes('ValidationException') ? true : undefined),
        observe: (fd) => fd?.status?.error ?? 'no error yet',
      },
    ),
    Deadline.in(timeoutMs),
  );
}
