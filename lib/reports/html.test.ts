import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ForcedRemoval } from '../results/model.ts';
import { chartLibrary, CHART_INIT_SCRIPT, scriptHash } from './charts-runtime.ts';
import { escapeHtml, html, relativeHref, unsafeRaw } from './html-template.ts';
import { defaultSuiteSections, renderHtml, suiteAnchor, type SuiteSection } from './html.ts';
import { compareRuns } from '../trends/compare.ts';
import { HOSTILE_TEXT, SAMPLE_FAILURE, sampleRunResult, sampleSuite } from '../testing/sample-results.ts';

/** The bodies of the page's <script> elements. */
function scripts(page: string): string[] {
  return [...page.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
}

/** The page without our two inline scripts, asserting that those are the only scripts in it. */
function withoutOurScripts(page: string): string {
  expect(scripts(page)).toEqual([chartLibrary(), CHART_INIT_SCRIPT]);
  expect(page.match(/<script/g)).toHaveLength(2);
  return page.replace(/<script>[\s\S]*?<\/script>/g, '');
}

/** The text of the table row whose cells contain `needle`, tags removed. */
function rowText(page: string, needle: string): string {
  const rows = [...page.matchAll(/<tr\b[^>]*>([\s\S]*?)<\/tr>/g)].map((m) => m[1]!);
  const row = rows.find((r) => r.includes(needle));
  expect(row, `a row containing ${needle}`).toBeDefined();
  return row!.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
}

describe('renderHtml', () => {
  const page = renderHtml(sampleRunResult());

  it('is a complete document that depends on nothing outside itself', () => {
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page).toContain('<meta charset="utf-8">');
    expect(page).toContain("default-src 'none'");
    const rest = withoutOurScripts(page);
    expect(rest).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(rest).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    // Every link is relative to the run folder or an anchor in the page.
    for (const [, href] of page.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#|[^:/]+(\/|$))/);
  });

  it('shows the verdict banner with colour class and counts', () => {
    expect(page).toContain('<section class="banner verdict-failed"');
    expect(page).toMatch(/✘ FAILED/);
    expect(page).toContain('26 passed</span>');
    expect(page).toContain('1 failed</span>');
    expect(page).toContain('4 skipped</span>');
    expect(renderHtml({ ...sampleRunResult(), verdict: 'passed' })).toContain('banner verdict-passed');
  });

  it('lists the environment fingerprint', () => {
    expect(rowText(page, 'Kubernetes')).toBe('Kubernetes v1.31.4');
    expect(rowText(page, '>nodes<')).toBe('nodes 3');
    expect(rowText(page, 'Flink Kubernetes Operator')).toBe('Flink Kubernetes Operator 1.12.1');
    expect(rowText(page, 'storageClasses')).toBe('storageClasses standard,rwx-nfs');
  });

  it('has a section per suite with its checks, reasons, durations and evidence links', () => {
    for (const s of sampleRunResult().suites) {
      expect(page).toContain(`<section class="suite" id="${suiteAnchor(s.id)}">`);
    }
    expect(rowText(page, `<td>${SAMPLE_FAILURE.check}</td>`)).toBe(
      `✘ failed ${SAMPLE_FAILURE.check} ${escapeHtml(SAMPLE_FAILURE.reason)} 2m 30s ${SAMPLE_FAILURE.evidence}`,
    );
    expect(page).toContain(`<a href="${SAMPLE_FAILURE.evidence}/">`);
    expect(rowText(page, 'Stargate service present')).toBe('↷ skipped Stargate service present Stargate is optional and disabled in this profile 0 ms');
    expect(page).toContain('<p class="reason">no Prometheus answered at monitoring/prometheus:9090 (Service not found)</p>');
    // The failure is also listed up front, linked to its evidence.
    const failures = page.slice(page.indexOf('<section id="failures">'), page.indexOf('</section>', page.indexOf('<section id="failures">')));
    expect(failures).toContain(`<b>${SAMPLE_FAILURE.check}</b> · <a href="${SAMPLE_FAILURE.evidence}/">evidence</a>`);
  });

  it('tabulates measurements with value, unit, labels and time, and summarises series', () => {
    expect(rowText(page, '{operator=k8ssandra}')).toBe(
      'operatorAvailable 45.9 s {operator=k8ssandra} k8ssandra operator Deployment available 2025-06-12 10:16:36Z',
    );
    expect(rowText(page, 'readyReplicas')).toBe(
      'readyReplicas count {deployment=flink-kubernetes-operator} 3 0 1 0 1 2025-06-12 10:15:02Z – 2025-06-12 10:15:50Z',
    );
  });

  it('shows the finalizers teardown removed by force in the suite that forced them, and no such section otherwise', () => {
    expect(page).not.toContain('Forced removals');
    const result = sampleRunResult();
    const forced = JSON.parse(readFileSync(new URL('../k8s/__fixtures__/deletion/forced-removal.json', import.meta.url), 'utf8')) as ForcedRemoval;
    result.suites[0]!.forcedRemovals = [forced];
    const withForced = renderHtml(result);
    expect(withForced).toContain('<h3>Forced removals</h3>');
    expect(rowText(withForced, forced.finalizers[0]!).startsWith(`${forced.object} ${forced.finalizers.join(' , ')} ${forced.afterSeconds} s `)).toBe(true);
  });

  it('renders a reason containing markup as text', () => {
    const result = sampleRunResult();
    result.suites[6]!.checks[2]!.reason = HOSTILE_TEXT;
    result.suites[6]!.checks[2]!.name = '<img src=x onerror=alert(1)>';
    result.suites[7]!.reason = '<b>bold</b>';
    result.suites[5]!.series[0]!.labels = { '"><script>alert(3)</script>': '</canvas>' };
    result.suites[6]!.experiments![0]!.probes[0]!.detail = '<script>alert(4)</script>';
    result.suites[0]!.measurements[0]!.labels = { '"><script>': '</td>' };
    result.environment.details = { '<x>': '"quoted" & \'single\'' };
    result.config = { note: '</pre><script>alert(2)</script>' };
    const hostile = withoutOurScripts(renderHtml(result));

    expect(hostile).not.toMatch(/<script|<img|<b>bold|<\/pre><script|<\/td>}|<\/canvas>"/i);
    expect(hostile).toContain('&lt;script&gt;alert(4)&lt;/script&gt;');
    // Chart data travels as JSON in an attribute: quotes and markup stay inside it.
    expect(hostile).toContain('&quot;write count{\\&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;=&lt;/canvas&gt;}&quot;');
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // NUL, BEL, ESC and lone surrogates from log output are dropped rather than shown as garbage.
    expect(hostile).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    expect(hostile).toContain('[31m end');
    expect(hostile).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).toContain('&lt;b&gt;bold&lt;/b&gt;');
    expect(hostile).toContain('{&quot;&gt;&lt;script&gt;=&lt;/td&gt;}');
    expect(hostile).toContain('&quot;quoted&quot; &amp; &#39;single&#39;');
    expect(hostile).toContain('&lt;/pre&gt;&lt;script&gt;alert(2)&lt;/script&gt;');
    // The title is escaped too.
    const titled = renderHtml({ ...sampleRunResult(), runId: '</title><script>' });
    expect(titled).toContain('<title>streamcert &lt;/title&gt;&lt;script&gt;: failed</title>');
  });

  it('encodes evidence paths so odd folder names cannot break out of the link', () => {
    const result = sampleRunResult();
    result.suites[6]!.checks[2]!.evidence = 'javascript:alert(1)/a "b"#c?d';
    const hostile = renderHtml(result);
    expect(hostile).toContain('<a href="javascript%3Aalert(1)/a%20%22b%22%23c%3Fd/">javascript:alert(1)/a &quot;b&quot;#c?d</a>');
  });

  it('accepts extra suite sections, so a chart section can be added later', () => {
    const extra: SuiteSection = (suite) =>
      suite.events.length ? html`<div class="extra" data-suite="${suite.id}">${suite.events.length} events</div>` : null;
    const withExtra = renderHtml(sampleRunResult(), { suiteSections: [...defaultSuiteSections, extra] });
    expect(withExtra.match(/class="extra"/g)).toHaveLength(4);
    expect(withExtra).toContain('<div class="extra" data-suite="01-platform">1 events</div>');
    // It sits inside that suite's section, after the default sections.
    const platform = withExtra.slice(withExtra.indexOf('id="suite-01-platform"'), withExtra.indexOf('id="suite-04-jobmanager-ha"'));
    expect(platform.indexOf('<h3>Timeline</h3>')).toBeLessThan(platform.indexOf('class="extra"'));
  });

  it('shows trends: regressions up front with a chip in the banner, unchanged figures folded away', () => {
    const now = sampleRunResult();
    sampleSuite(now, '04-jobmanager-ha').measurements.find((m) => m.name === 'rto' && m.labels?.variant === 'session')!.value = 53.69;
    const comparison = compareRuns(now, sampleRunResult(), { thresholdPercent: 20, source: 'baseline', ref: 'baselines/lab.json' });
    const withTrends = renderHtml(now, { comparison });
    expect(withTrends).toContain('<a class="trend-chip regressed" href="#trends">1 regression vs 20250612-101500-a1b2</a>');
    const trends = withTrends.slice(withTrends.indexOf('<section id="trends">'), withTrends.indexOf('</section>', withTrends.indexOf('<section id="trends">')));
    expect(trends).toContain('baseline <code>baselines/lab.json</code>');
    expect(rowText(trends, 'rto{variant=session}')).toBe('regressed 04-jobmanager-ha rto{variant=session} 41.3 53.69 s +30.0% 20%');
    expect(trends.indexOf('rto{variant=session}')).toBeLessThan(trends.indexOf('<details>'));
    expect(trends).toMatch(/<summary>17 times and rates within their threshold<\/summary>/);
    expect(page).not.toContain('id="trends"');
  });

  it('allows exactly its own two scripts by hash, and has no script at all without charts', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(page)![1]!.replace(/&#39;/g, "'");
    expect(csp).toBe(`default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptHash(chartLibrary())} ${scriptHash(CHART_INIT_SCRIPT)}`);
    const noFigures = sampleRunResult();
    for (const s of noFigures.suites) Object.assign(s, { measurements: [], series: [], events: [], experiments: undefined });
    const plain = renderHtml(noFigures);
    expect(plain).not.toMatch(/<script|<canvas|script-src/);
    expect(plain).not.toContain('<h3>Charts</h3>');
  });

  it('shows a suite-level failure as a row when no check explains it, and an empty run sensibly', () => {
    const result = sampleRunResult();
    result.suites[0] = { ...result.suites[0]!, verdict: 'failed', reason: 'teardown left namespace behind', checks: [] };
    expect(rowText(renderHtml(result), 'teardown left namespace behind')).toMatch(/^✘ failed \(suite\) teardown left namespace behind/);
    expect(renderHtml({ ...sampleRunResult(), suites: [] })).toContain('No suite ran.');
  });
});

describe('html template', () => {
  it('escapes interpolations, joins lists and passes SafeHtml through', () => {
    const items = ['<a>', 'b&c'];
    expect(html`<ul>${items.map((i) => html`<li>${i}</li>`)}</ul>`.value).toBe('<ul><li>&lt;a&gt;</li><li>b&amp;c</li></ul>');
    expect(html`${null}${undefined}${false}${0}${unsafeRaw('<br>')}`.value).toBe('0<br>');
    expect(escapeHtml(`"'`)).toBe('&quot;&#39;');
  });

  it('builds relative hrefs', () => {
    expect(relativeHref('07-k8ssandra/cql login', { folder: true })).toBe('07-k8ssandra/cql%20login/');
    expect(relativeHref('./results.json')).toBe('results.json');
  });
});
