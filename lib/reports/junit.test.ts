import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { validateXML } from 'xmllint-wasm';
import type { RunResult } from '../results/model.ts';
import { escapeXmlAttribute, junitTimestamp, renderJUnit, stripInvalidXmlChars } from './junit.ts';
import { HOSTILE_TEXT, SAMPLE_FAILURE, sampleRunResult } from '../testing/sample-results.ts';

const XSD_PATH = new URL('./junit.xsd', import.meta.url);

/** Validates with libxml2 (compiled to wasm) against our junit.xsd; returns xmllint's error lines. */
async function xsdErrors(xml: string): Promise<string[]> {
  const schema = await readFile(XSD_PATH, 'utf8');
  const result = await validateXML({
    xml: [{ fileName: 'junit.xml', contents: xml }],
    schema: [{ fileName: 'junit.xsd', contents: schema }],
  });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

// The parser keeps attributes as strings and every element listed, so tests read the document as a CI would.
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseAttributeValue: false,
  parseTagValue: false,
  trimValues: false,
  // Needed for it to decode numeric character references (&#10;) as any XML parser does.
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
});

interface Parsed {
  testsuites: Record<string, string> & {
    testsuite: (Record<string, string> & {
      properties?: { property: { name: string; value: string }[] };
      testcase: (Record<string, string> & {
        failure?: { message: string; type: string; '#text': string };
        skipped?: { message?: string } | string;
      })[];
    })[];
  };
}

function parse(xml: string): Parsed {
  return parser.parse(xml) as Parsed;
}

function withHostileReasons(): RunResult {
  const result = sampleRunResult();
  const failed = result.suites[6]!.checks[2]!;
  failed.reason = `${HOSTILE_TEXT}\nsecond line\r\nthird\tcolumn`;
  failed.name = `login <as> "superuser" & 'friends'`;
  result.suites[7]!.checks[0]!.reason = HOSTILE_TEXT;
  result.suites[0]!.measurements[0]!.labels = { 'odd"key': '<v&>' };
  result.environment.details = { note: 'a & b < c\u0001' };
  return result;
}

describe('renderJUnit', () => {
  it('validates against junit.xsd for the sample run', async () => {
    expect(await xsdErrors(renderJUnit(sampleRunResult()))).toEqual([]);
  });

  it('validates against junit.xsd with markup, quotes and control characters in every text field', async () => {
    expect(await xsdErrors(renderJUnit(withHostileReasons()))).toEqual([]);
  });

  it('the XSD check is real: a document with a wrong shape is rejected', async () => {
    const xml = renderJUnit(sampleRunResult());
    expect(await xsdErrors(xml.replace('<testcase name="FlinkDeployment CRD served"', '<testcase naam="FlinkDeployment CRD served"'))).not.toEqual([]);
    expect(await xsdErrors(xml.replace(/time="94\.310"/, 'time="94s"'))).not.toEqual([]);
    expect(await xsdErrors(xml.replace(/timestamp="[^"]*"/, 'timestamp="2025-06-12T10:15:02.000Z"'))).not.toEqual([]);
  });

  it('writes one testsuite per suite and one testcase per check, with counts and seconds', () => {
    const doc = parse(renderJUnit(sampleRunResult()));
    const { testsuite: suites, ...root } = doc.testsuites;
    expect(root).toMatchObject({ tests: '31', failures: '1', errors: '0', time: '2611.500' });
    expect(suites.map((s) => s.name)).toEqual([
      '01-platform', '04-jobmanager-ha', '05-reactive-scaling', '06-wordcount-sweep', '07-k8ssandra', '08-flink-to-cassandra', '09-chaos', '10-monitoring',
    ]);

    const [platform, , , , k8ssandra, , chaos, monitoring] = suites;
    expect(platform).toMatchObject({ tests: '3', failures: '0', errors: '0', skipped: '0', time: '94.310', timestamp: '2025-06-12T10:15:02' });
    expect(k8ssandra).toMatchObject({ tests: '3', failures: '0', skipped: '1', time: '474.500' });
    expect(chaos).toMatchObject({ tests: '3', failures: '1', skipped: '0', time: '690.000' });
    expect(monitoring).toMatchObject({ tests: '2', failures: '0', skipped: '2', timestamp: '2025-06-12T10:15:00' });

    expect(platform!.testcase.map((c) => [c.classname, c.name, c.time])).toEqual([
      ['01-platform', 'flink operator Deployment available', '48.120'],
      ['01-platform', 'FlinkDeployment CRD served', '0.310'],
      ['01-platform', 'k8ssandra operator Deployment available', '45.880'],
    ]);
    expect(platform!.testcase.every((c) => c.failure === undefined && c.skipped === undefined)).toBe(true);
  });

  it('gives a failure the reason as message and the reason plus evidence path as body', () => {
    const failure = parse(renderJUnit(sampleRunResult())).testsuites.testsuite[6]!.testcase[2]!.failure!;
    expect(failure.type).toBe('CheckFailed');
    expect(failure.message).toBe(SAMPLE_FAILURE.reason);
    expect(failure['#text']).toBe(`${SAMPLE_FAILURE.reason}\n\nevidence: ${SAMPLE_FAILURE.evidence}`);
  });

  it('marks skipped checks with their reason', () => {
    const doc = parse(renderJUnit(sampleRunResult()));
    expect(doc.testsuites.testsuite[7]!.testcase.map((c) => c.skipped)).toEqual([
      { message: 'no Prometheus answered at monitoring/prometheus:9090 (Service not found)' },
      { message: 'no Prometheus answered at monitoring/prometheus:9090 (Service not found)' },
    ]);
    expect(doc.testsuites.testsuite[4]!.testcase[2]!.skipped).toEqual({ message: 'Stargate is optional and disabled in this profile' });
    expect(doc.testsuites.testsuite[3]!.testcase[4]!.skipped).toEqual({ message: 'capped: the session cluster has 4 slots' });
  });

  it('puts the environment fingerprint and the suite measurements in each suite’s properties', () => {
    const [platform, , , , k8ssandra] = parse(renderJUnit(sampleRunResult())).testsuites.testsuite;
    const props = (s: typeof platform) => Object.fromEntries(s!.properties!.property.map((p) => [p.name, p.value]));
    expect(props(platform)).toMatchObject({
      'run.id': '20250612-101500-a1b2',
      'env.target': 'lab',
      'env.kubernetesVersion': 'v1.31.4',
      'env.nodeCount': '3',
      'env.flinkVersion': '1.20.1',
      'env.details.context': 'kind-streamcert',
      'operatorAvailable{operator=flink}': '48.1 s',
      'operatorAvailable{operator=k8ssandra}': '45.9 s',
    });
    expect(props(k8ssandra)).toMatchObject({ 'env.cassandraVersion': '4.1.8', 'datacenterReady{size=3}': '412 s' });
    expect(Object.keys(props(k8ssandra))).not.toContain('operatorAvailable{operator=flink}');
  });

  it('round-trips markup and quotes exactly, keeps newlines in attributes and drops invalid characters', () => {
    const xml = renderJUnit(withHostileReasons());
    expect(xml).not.toContain('<script>');
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);

    const clean = stripInvalidXmlChars(`${HOSTILE_TEXT}\nsecond line\r\nthird\tcolumn`);
    expect(clean).toBe(`expected <ready> & "Running" but saw 'Pending' </failure><script>alert(1)</script>[31m end\nsecond line\r\nthird\tcolumn`);

    const doc = parse(xml);
    const failedCase = doc.testsuites.testsuite[6]!.testcase[2]!;
    expect(failedCase.name).toBe(`login <as> "superuser" & 'friends'`);
    expect(failedCase.failure!.message).toBe(clean);
    expect(failedCase.failure!['#text'].startsWith(clean)).toBe(true);
    expect(doc.testsuites.testsuite[7]!.testcase[0]!.skipped).toEqual({ message: stripInvalidXmlChars(HOSTILE_TEXT) });
    const props = doc.testsuites.testsuite[0]!.properties!.property;
    expect(props).toContainEqual({ name: 'env.details.note', value: 'a & b < c' });
    expect(props).toContainEqual({ name: 'operatorAvailable{odd"key=<v&>}', value: '48.1 s' });
  });

  it('keeps line breaks and tabs of a reason through libxml2 (which folds literal ones in attributes)', async () => {
    const { normalized } = await validateXML({
      xml: [{ fileName: 'junit.xml', contents: renderJUnit(withHostileReasons()) }],
      normalization: 'c14n',
    });
    // Canonical XML writes preserved whitespace in attributes as character references.
    expect(normalized).toContain('end&#xA;second line&#xD;&#xA;third&#x9;column" type="CheckFailed"');
  });

  it('gives a suite that failed outside its checks a failing testcase, so CI cannot show it green', async () => {
    const result = sampleRunResult();
    result.suites.push({
      id: '09-broken-setup',
      title: 'never got going',
      verdict: 'failed',
      reason: 'namespace streamcert-09 was not created: forbidden',
      needs: [],
      durationMs: 2_500,
      checks: [],
      measurements: [],
      series: [],
      events: [],
    });
    const xml = renderJUnit(result);
    expect(await xsdErrors(xml)).toEqual([]);
    const suite = parse(xml).testsuites.testsuite[8]!;
    expect(suite).toMatchObject({ name: '09-broken-setup', tests: '1', failures: '1' });
    expect(suite.testcase[0]).toMatchObject({ name: '(suite)', classname: '09-broken-setup', time: '2.500' });
    expect(suite.testcase[0]!.failure).toMatchObject({ type: 'SuiteFailed', message: 'namespace streamcert-09 was not created: forbidden' });
    expect(suite.properties).toBeDefined();
  });

  it('renders an empty run as a valid document', async () => {
    const result = { ...sampleRunResult(), suites: [], verdict: 'skipped' as const };
    const xml = renderJUnit(result);
    expect(await xsdErrors(xml)).toEqual([]);
    expect(parse(xml).testsuites).toMatchObject({ tests: '0', failures: '0' });
  });
});

describe('XML helpers', () => {
  it('escapes attributes so that parsers return the original text', () => {
    expect(escapeXmlAttribute(`a<b>&"c"'d'\n\te\r`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;&#10;&#9;e&#13;');
  });

  it('keeps astral characters and drops lone surrogates and C0 controls', () => {
    expect(stripInvalidXmlChars('ok 🚀 \uD800x\uDFFFy\u0000\u001f\uFFFE')).toBe('ok 🚀 xy');
  });

  it('writes timestamps in UTC without zone or fraction', () => {
    expect(junitTimestamp('2025-06-12T12:15:02.789+02:00')).toBe('2025-06-12T10:15:02');
  });
});
