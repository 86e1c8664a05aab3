#!/usr/bin/env node
// Runs before `npm start` and `npm test` (npm's pre-scripts): installs the project's packages when
// node_modules is missing or older than the lock file, so the README's two commands work on a fresh
// clone. Plain Node, no dependencies: it runs before there are any.
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const marker = `${root}node_modules/.package-lock.json`;
const lock = `${root}package-lock.json`;
const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  process.stderr.write('installing npm packages (first run, or package-lock.json changed)\n');
  // `npm install` rather than `npm ci`: npm 11 here writes lock files without other platforms'
  // optional packages, which `npm ci` then rejects as out of sync.
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
