import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './load.ts';

describe('docs/config.example.yaml', () => {
  it('is a valid configuration', () => {
    const file = fileURLToPath(new URL('../../docs/config.example.yaml', import.meta.url));
    expect(loadConfig({ file, env: {} }).config.target).toBe('cluster');
  });
});
