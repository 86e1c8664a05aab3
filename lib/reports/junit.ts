// JUnit XML for CI (Jenkins junit step, GitHub Actions test reporters). The target is the common
// subset both read (Jenkins' junit-10.xsd shape; our own copy is junit.xsd beside this file):
//   testsuites > testsuite(properties?, testcase*) > testcase > (skipped | failure)?
// junit-10 allows <properties> only on a testsuite, so the environment fingerprint is repeated on each.
import XMLBuilder from 'fast-xml-builder';
import type { RunResult, SuiteResult } from '../results/model.ts';
import { stripInvalidXmlChars } from './chars.ts';
import { countCases, formatLabels, runCounts, runDurationMs, suiteCases, type ReportCase } from './summary.ts';

export { stripInvalidXmlChars };

/** JUnit's `type` of a failure; we have no exception classes, so the kind of thing that failed. */
export const FAILURE_TYPE = { check: 'CheckFailed', suite: 'SuiteFailed' } as const;

// processEntities is off because escaping is done by the value processors below: the library would
// otherwise escape `&` after us (turning `&#10;` into `&amp;#10;`), and it has no way to keep newlines
// in attributes, which XML parsers fold to spaces unless written as character references.
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: true,
  // The default writes an attribute whose value is "true" as a bare name, which is not XML.
  suppressBooleanAttributes: false,
  processEntities: false,
  tagValueProcessor: (_name: string, value: unknown) => escapeXmlText(String(value)),
  attributeValueProcessor: (_name: string, value: unknown) => escapeXmlAttribute(String(value)),
});

/** Renders the run as a JUnit XML document. */
export function renderJUnit(result: RunResult): string {
  const counts = runCounts(result);
  const document = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    testsuites: {
      '@_name': `streamcert ${result.profile} ${result.runId}`,
      '@_tests': counts.total,
      '@_failures': counts.failed,
      '@_errors': 0,
      // No `skipped` here: junit-10 does not allow it on <testsuites>, only on each <testsuite>.
      '@_time': seconds(runDurationMs(result)),
      testsuite: result.suites.map((suite) => testsuite(result, suite)),
    },
  };
  return builder.build(document);
}

function testsuite(result: RunResult, suite: SuiteResult): object {
  const cases = suiteCases(suite);
  const counts = countCases(cases);
  const properties = [...runProperties(result), ...suiteProperties(suite)];
  return {
    '@_name': suite.id,
    '@_tests': counts.total,
    '@_failures': counts.failed,
    '@_errors': 0,
    '@_skipped': counts.skipped,
    '@_time': seconds(suite.durationMs),
    '@_timestamp': junitTimestamp(suite.startedAt ?? result.startedAt),
    ...(properties.length > 0 ? { properties: { property: properties } } : {}),
    testcase: cases.map(testcase),
  };
}

function testcase(c: ReportCase): object {
  const node: Record<string, unknown> = {
    '@_name': c.name,
    '@_classname': c.suiteId,
    '@_time': seconds(c.durationMs),
  };
  if (c.verdict === 'failed') {
    const reason = c.reason ?? 'failed without a reason';
    node.failure = {
      '@_message': reason,
      '@_type': c.suiteLevel ? FAILURE_TYPE.suite : FAILURE_TYPE.check,
      // The body is what Jenkins shows as the stack trace: the full reason and where to look.
      '#text': c.evidence ? `${reason}\n\nevidence: ${c.evidence}` : reason,
    };
  } else if (c.verdict === 'skipped') {
    node.skipped = c.reason ? { '@_message': c.reason } : '';
  }
  return node;
}

/** Run-wide facts, repeated per suite because junit-10 has no <properties> on <testsuites>. */
function runProperties(result: RunResult): { '@_name': string; '@_value': string }[] {
  const env = result.environment;
  const entries: [string, string | number | undefined][] = [
    ['run.id', result.runId],
    ['run.profile', result.profile],
    ['run.startedAt', result.startedAt],
    ['env.target', env.target],
    ['env.capturedAt', env.capturedAt],
    ['env.kubernetesVersion', env.kubernetesVersion],
    ['env.nodeCount', env.nodeCount],
    ['env.operatorVersion', env.operatorVersion],
    ['env.flinkVersion', env.flinkVersion],
    ['env.cassandraVersion', env.cassandraVersion],
    ...Object.entries(env.details ?? {}).map(([k, v]): [string, string] => [`env.details.${k}`, v]),
  ];
  return entries.filter(([, v]) => v !== undefined).map(([name, value]) => property(name, String(value)));
}

/** Measurements as `name{labels}` = `value unit`; series are left to the HTML report (too long for a property). */
function suiteProperties(suite: SuiteResult): { '@_name': string; '@_value': string }[] {
  return suite.measurements.map((m) =>
    property(`${m.name}${formatLabels(m.labels)}`, m.unit ? `${m.value} ${m.unit}` : String(m.value)),
  );
}

function property(name: string, value: string): { '@_name': string; '@_value': string } {
  return { '@_name': name, '@_value': value };
}

/** JUnit times are seconds with a decimal point. */
function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3);
}

/**
 * `2025-06-12T10:15:02` in UTC: the Ant schema (which many importers follow) allows no zone and no
 * fraction, so the zone is dropped after converting to UTC rather than kept as a local time.
 */
export function junitTimestamp(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '1970-01-01T00:00:00' : date.toISOString().slice(0, 19);
}

export function escapeXmlText(text: string): string {
  return stripInvalidXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    // A bare CR would be normalised to LF by any reader.
    .replace(/\r/g, '&#13;');
}

export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    // Attribute-value normalisation turns literal whitespace controls into spaces; references survive.
    .replace(/\n/g, '&#10;')
    .replace(/\t/g, '&#9;');
}
