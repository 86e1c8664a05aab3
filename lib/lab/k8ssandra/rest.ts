// The few API calls the lab's emulated operators make, over the lab's admin client (lib/lab/api.ts):
// get, create, server-side apply, merge patch, and writes to the status subresource.
import { apiRequest } from '../api.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const fieldManager = 'lab-k8ssandra-operator';

async function call<T>(method: string, path: string, body?: unknown, contentType?: string): Promise<T> {
  const res = await apiRequest(path, method, body === undefined ? undefined : JSON.stringify(body), contentType);
  if (res.status >= 300) {
    let message = res.body.slice(0, 400);
    try {
      message = (JSON.parse(res.body) as { message?: string }).message ?? message;
    } catch {
      // Not a Status object: keep the raw text.
    }
    throw new ApiError(res.status, `${method} ${path.split('?')[0]}: ${res.status} ${message}`);
  }
  return (res.body ? JSON.parse(res.body) : undefined) as T;
}

export const paths = {
  k8ssandraCluster: (ns: string, name = '') => `/apis/k8ssandra.io/v1alpha1/namespaces/${ns}/k8ssandraclusters/${name}`,
  cassandraDatacenter: (ns: string, name = '') => `/apis/cassandra.datastax.com/v1beta1/namespaces/${ns}/cassandradatacenters/${name}`,
  service: (ns: string, name = '') => `/api/v1/namespaces/${ns}/services/${name}`,
  secret: (ns: string, name = '') => `/api/v1/namespaces/${ns}/secrets/${name}`,
  pods: (ns: string, selector: Record<string, string>) =>
    `/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(Object.entries(selector).map(([k, v]) => `${k}=${v}`).join(','))}`,
  pod: (ns: string, name: string) => `/api/v1/namespaces/${ns}/pods/${name}`,
  statefulSet: (ns: string, name = '') => `/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`,
};

export const rest = {
  async get<T>(path: string): Promise<T | undefined> {
    try {
      return await call<T>('GET', path);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return undefined;
      throw err;
    }
  },
  list<T>(path: string): Promise<{ items: T[] }> {
    return call('GET', path);
  },
  /** Creates; false when it already exists (409). */
  async create(collectionPath: string, obj: unknown): Promise<boolean> {
    try {
      await call('POST', collectionPath, obj);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) return false;
      throw err;
    }
  },
  /** Server-side apply with the emulated operator's field manager. */
  apply<T>(path: string, obj: unknown): Promise<T> {
    return call('PATCH', `${path}?fieldManager=${fieldManager}&force=true`, obj, 'application/apply-patch+yaml');
  },
  mergePatch<T>(path: string, patch: unknown): Promise<T> {
    return call('PATCH', path, patch, 'application/merge-patch+json');
  },
  /** Replaces the whole status (a JSON patch on the status subresource, so removed keys go too). */
  replaceStatus<T>(path: string, status: unknown): Promise<T> {
    return call('PATCH', `${path}/status`, [{ op: 'add', path: '/status', value: status }], 'application/json-patch+json');
  },
  async delete(path: string): Promise<boolean> {
    try {
      await call('DELETE', path);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) return false;
      throw err;
    }
  },
};
