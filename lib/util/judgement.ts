// What every check decides, in one shape: a pure judge over an observation returns a Judgement
// (PASS or FAIL, and why: what was expected, what was seen, where to look). The suite step then calls
// `holds(judgement)`, which fails the check with exactly that reason: no test-runner diff appended.
export interface Judgement {
  ok: boolean;
  /** Expected, seen, and where to look; shown for a PASS as well, so the report says what held. */
  reason: string;
}

export const pass = (reason: string): Judgement => ({ ok: true, reason });
export const fail = (reason: string): Judgement => ({ ok: false, reason });

/** A check that did not hold. Its message is the judge's reason and nothing else. */
export class CheckFailed extends Error {
  override name = 'CheckFailed';
}

/** Fails the current check with the judge's reason unless it passed; returns the judgement. */
export function holds<J extends Judgement>(judgement: J): J {
  if (!judgement.ok) throw new CheckFailed(judgement.reason);
  return judgement;
}

/** The first failing judgement, else a pass joining their reasons: several facts one check needs. */
export function allOf(...judgements: Judgement[]): Judgement {
  const failed = judgements.find((j) => !j.ok);
  return failed ?? pass(judgements.map((j) => j.reason).join('; '));
}
