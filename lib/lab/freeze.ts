// A hung node, for real: every process of a container stopped with SIGSTOP from the host, through the
// lab's containerd. The kernel keeps its sockets open, so a peer's connect succeeds and then nothing
// answers, and the kubelet goes on reporting the pod Ready until its probe times out: the case a
// readiness check that trusts the pod status (or the operator's) cannot see. Lab only: it needs the
// node's container runtime on this machine.
import type { V1Pod } from '@kubernetes/client-node';
import { ctr } from './node.ts';

export interface Frozen {
  pod: string;
  container: string;
  /** Sends SIGCONT to every process again; safe to call twice. */
  thaw(): Promise<void>;
}

export async function freezeContainer(pod: V1Pod, container: string): Promise<Frozen> {
  const name = `${pod.metadata?.namespace}/${pod.metadata?.name}`;
  const id = pod.status?.containerStatuses?.find((c) => c.name === container)?.containerID?.replace(/^containerd:\/\//, '');
  if (!id) throw new Error(`cannot freeze container ${container} of pod ${name}: it has no running container id`);
  const signal = async (sig: string) => {
    await ctr(['tasks', 'kill', '--all', '--signal', sig, id], { timeoutMs: 15_000 }).catch((err: Error) => {
      throw new Error(`cannot send ${sig} to container ${container} of pod ${name}: ${err.message}`);
    });
  };
  await signal('SIGSTOP');
  let thawed = false;
  return {
    pod: name,
    container,
    async thaw() {
      if (thawed) return;
      thawed = true;
      await signal('SIGCONT');
    },
  };
}

/** Runs `observe` with the container frozen (when a pod is given) and thaws it whatever happens. */
export async function whileFrozen<T>(pod: V1Pod | undefined, container: string, observe: () => Promise<T>): Promise<T> {
  const frozen = pod ? await freezeContainer(pod, container) : undefined;
  try {
    return await observe();
  } finally {
    await frozen?.thaw();
  }
}
