import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { judgeExpectedVersion } from '../platform/expected-version.ts';
import { flinkVersionOfConfig, flinkVersionWhere } from './version.ts';

const config = JSON.parse(readFileSync(new URL('./__fixtures__/rest/config.json', import.meta.url), 'utf8')) as Record<string, unknown>;

// The lab's Flink 1.20.0 JobManager, as recorded in __fixtures__/rest/config.json.
describe('the Flink version a cluster reports, judged against expect.flinkVersion', () => {
  const where = `${flinkVersionWhere} of app`;
  const found = flinkVersionOfConfig(config);

  it('reads the release from /config', () => {
    expect(found).toBe('1.20.0');
  });

  it('passes when the cluster reports the expected release', () => {
    expect(judgeExpectedVersion({ what: 'Flink', expected: '1.20.0', found, where })).toEqual({
      ok: true,
      reason: 'Flink is 1.20.0 as expected (REST GET /config "flink-version" of app)',
    });
  });

  it('fails naming found and expected when it reports another release', () => {
    expect(judgeExpectedVersion({ what: 'Flink', expected: '1.19.0', found, where })).toEqual({
      ok: false,
      reason: 'Flink: expected 1.19.0, found 1.20.0 (REST GET /config "flink-version" of app)',
    });
  });

  it('fails when /config says no release (an empty observation never passes)', () => {
    const { ['flink-version']: _dropped, ...withoutVersion } = config;
    expect(flinkVersionOfConfig(withoutVersion)).toBeUndefined();
    expect(judgeExpectedVersion({ what: 'Flink', expected: '1.20.0', found: flinkVersionOfConfig(withoutVersion), where }).ok).toBe(false);
    expect(flinkVersionOfConfig({ ...config, 'flink-version': '' })).toBeUndefined();
  });
});
