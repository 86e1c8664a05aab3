// `expect.*Version` in the config is a promise that the target runs that release: when it is set, it
// is a check, judged here, that names what was found, what was expected and where it was read.
import { fail, pass, type Judgement } from '../util/judgement.ts';

export function judgeExpectedVersion(o: { what: string; expected?: string; found?: string; where: string }): Judgement {
  if (!o.expected) return pass(`${o.what}: no expectation set (found ${o.found ?? 'nothing'} at ${o.where})`);
  if (!o.found) return fail(`${o.what}: expected ${o.expected}, but no version could be read from ${o.where}`);
  if (o.found !== o.expected) return fail(`${o.what}: expected ${o.expected}, found ${o.found} (${o.where})`);
  return pass(`${o.what} is ${o.found} as expected (${o.where})`);
}
