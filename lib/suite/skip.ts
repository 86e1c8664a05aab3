// A step that finds its property does not apply here (no webhook configured, no Grafana) says so
// with a reason; the step wrapper reports it as SKIPPED with that reason (FAILED under certification).
export class SkipSignal extends Error {
  override name = 'SkipSignal';
}

export function skipBecause(reason: string): never {
  throw new SkipSignal(reason);
}
