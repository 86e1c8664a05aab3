import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { clusterRole } from './permissions.ts';

describe('required permissions', () => {
  it('the shipped ClusterRole is exactly the list 01-platform checks', () => {
    const shipped: unknown = parse(readFileSync(new URL('../../fixtures/rbac/streamcert-clusterrole.yaml', import.meta.url), 'utf8'));
    expect(shipped).toEqual(clusterRole());
  });
});
