// The Flink release a running cluster reports about itself: REST GET /config → "flink-version"
// (e.g. "1.20.0"), the JobManager's own build, whatever image tag or CRD flinkVersion asked for it.
export const flinkVersionWhere = 'REST GET /config "flink-version"';

/** The release in a /config body; undefined when the body does not say one. */
export function flinkVersionOfConfig(config: Record<string, unknown>): string | undefined {
  const v = config['flink-version'];
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}
