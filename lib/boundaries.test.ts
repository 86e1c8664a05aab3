// The module boundaries, checked on every `npm test`: the lab is a provider behind one door
// (lib/lab/index.ts), it stands on the shared foundations only, and the foundations know nothing of
// the harness above them. A failure names the file and the import that crosses.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The shared foundations: Kubernetes access, small utilities, logging, errors. */
const foundations = ['lib/k8s/', 'lib/util/', 'lib/log.ts', 'lib/errors.ts'];
const isFoundation = (file: string) => foundations.some((f) => (f.endsWith('/') ? file.startsWith(f) : file === f));
const isTest = (file: string) => /\.test\.ts$/.test(file) || file.includes('/__fixtures__/');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mjs)$/.test(e.name) ? [path] : [];
  });
}

/** Every relative import (static, re-export, side-effect or dynamic) of a file, as repository paths. */
export function relativeImports(file: string, text: string): string[] {
  const specifiers = [
    ...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
    ...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => relative(root, resolve(root, dirname(file), s)));
}

const imports = ['lib', 'suites', 'bin'].flatMap(sourceFiles).map((file) => ({ file, to: relativeImports(file, readFileSync(join(root, file), 'utf8')) }));

const crossings = (from: (file: string) => boolean, allowed: (target: string, file: string) => boolean) =>
  imports.filter((i) => from(i.file)).flatMap((i) => i.to.filter((t) => !allowed(t, i.file)).map((t) => `${i.file} imports ${t}`));

describe('module boundaries', () => {
  it('reads every kind of relative import', () => {
    const text = "import a from './a.ts';\nexport { b } from '../b.ts';\nimport './c.ts';\nconst d = await import('./d.ts');\nimport e from 'zx';";
    expect(relativeImports('lib/x/y.ts', text)).toEqual(['lib/x/a.ts', 'lib/b.ts', 'lib/x/c.ts', 'lib/x/d.ts']);
  });

  it('the harness reaches the lab only through lib/lab/index.ts', () => {
    expect(crossings((f) => !f.startsWith('lib/lab/'), (t) => !t.startsWith('lib/lab/') || t === 'lib/lab/index.ts')).toEqual([]);
  });

  // The lab's own tests may observe it through the harness's clients (that is what they check: the
  // lab satisfies the harness); the lab's code may not, or the emulation and its checker would share code.
  it('the lab stands on the foundations only', () => {
    expect(crossings((f) => f.startsWith('lib/lab/') && !isTest(f), (t) => t.startsWith('lib/lab/') || isFoundation(t))).toEqual([]);
  });

  it('the foundations import nothing above them', () => {
    expect(crossings((f) => isFoundation(f) && !isTest(f), (t) => isFoundation(t))).toEqual([]);
  });
});
