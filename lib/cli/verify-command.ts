// `streamcert verify <bundle>`: checks a certification bundle without unpacking it. Exit 0 when every
// file matches SHA256SUMS, 4 (verificationFailed) naming each missing, extra or changed file.
import { existsSync } from 'node:fs';
import { describeVerification, verifyBundle } from '../certify/bundle.ts';
import { ExitCode, UsageError } from '../errors.ts';

export async function verifyCommand(bundle: string): Promise<number> {
  if (!existsSync(bundle)) throw new UsageError(`${bundle} does not exist`);
  const v = await verifyBundle(bundle);
  (v.ok ? process.stdout : process.stderr).write(describeVerification(v));
  return v.ok ? ExitCode.passed : ExitCode.verificationFailed;
}
