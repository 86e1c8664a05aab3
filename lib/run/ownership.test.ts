import { describe, expect, it } from 'vitest';
import { configSchema } from '../config/schema.ts';
import { createAllowed, ownershipProblems } from './ownership.ts';

const config = (namespaces: Record<string, unknown> = {}) => configSchema.parse({ namespaces });
const runId = '20261202-050000-abcd';

describe('createAllowed', () => {
  it("allows the run's own namespaces, namespaces.suites and namespaces.allowCreate", () => {
    expect(createAllowed(config(), `sc-${runId}-cassandra`, runId)).toBe(true);
    expect(createAllowed(config({ suites: 'streamcert' }), 'streamcert', runId)).toBe(true);
    expect(createAllowed(config({ allowCreate: ['cassandra'] }), 'cassandra', runId)).toBe(true);
  });
  it("refuses another run's namespace and one the config only points at", () => {
    expect(createAllowed(config(), 'sc-20261202-040000-ffff-cassandra', runId)).toBe(false);
    expect(createAllowed(config({ cassandra: 'kube-system' }), 'kube-system', runId)).toBe(false);
  });
});

describe('ownershipProblems', () => {
  it('names what would be created, where, by whom, and the way out; one line per namespace', () => {
    const problems = ownershipProblems(config({ cassandra: 'kube-system' }), runId, [
      { what: 'K8ssandraCluster demo', namespace: 'kube-system', by: 'shared by 07, 08, 09' },
      { what: 'Secret x', namespace: `sc-${runId}-08`, by: '08-flink-to-cassandra' },
    ]);
    expect(problems).toEqual([
      'refusing to create K8ssandraCluster demo (shared by 07, 08, 09) in namespace kube-system: this run does not own that namespace and namespaces.allowCreate does not list it (create the object there yourself to have the run use it, or add the namespace to namespaces.allowCreate)',
    ]);
  });
});
