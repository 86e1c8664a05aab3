// Suites are numbered (`NN-name.test.ts`) and must run in that order: later suites build on what
// earlier ones proved (the operator is up before an HA test is worth running).
import { basename } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export function suiteOrder(a: string, b: string): number {
  return basename(a).localeCompare(basename(b), 'en', { numeric: true });
}

export class NumericOrderSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => suiteOrder(a.moduleId, b.moduleId));
  }
  override async shard(files: TestSpecification[]): Promise<TestSpecification[]> {
    return files;
  }
}
