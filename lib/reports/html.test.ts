import { describe, expect, it } from 'vitest';
import { escapeHtml, html, relativeHref, unsafeRaw } from './html-template.ts';
import { defaultSuiteSections, renderHtml, suiteAnchor, type SuiteSection } from './html.ts';
import { HOSTILE_TEXT, sampleRunResult } from './sample.ts';

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
    expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(page).not.toMatch(/\b(src|href)="(https?:)?\/\//i);
    // Every link is relative to the run folder or an anchor in the page.
    for (const [, href] of page.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^(#|[^:/]+(\/|$))/);
  });

  it('shows the verdict banner with colour class and counts', () => {
    expect(page).toContain('<section class="banner verdict-failed"');
    expect(page).toMatch(/✘ FAILED/);
    expect(page).toContain('4 passed</span>');
    expect(page).toContain('1 failed</span>');
    expect(page).toContain('3 skipped</span>');
    expect(renderHtml({ ...sampleRunResult(), verdict: 'passed' })).toContain('banner verdict-passed');
  });

  it('lists the environment fingerprint', () => {
    expect(rowText(page, 'Kubernetes')).toBe('Kubernetes v1.31.4');
    expect(rowText(page, '>nodes<')).toBe('nodes 3');
    expect(rowText(page, 'Flink Kubernetes Operator')).toBe('Flink Kubernetes Operator 1.12.1');
    expect(rowText(page, 'storageClasses')).toBe('storageClasses standard,rwx-nfs');
  });

  it('has a section per suite with its checks, reasons, durations and evidence links', () => {
    for (const id of ['01-platform', '07-k8ssandra', '08-cassandra-sink']) {
      expect(page).toContain(`<section class="suite" id="${suiteAnchor(id)}">`);
    }
    expect(rowText(page, 'CQL login with the superuser secret')).toMatch(
      /^✘ failed CQL login with the superuser secret expected a CQL session as user &quot;demo-superuser&quot;, .* 1m 01s evidence\/07-k8ssandra\/cql-login-with-the-superuser-secret$/,
    );
    expect(page).toContain('<a href="evidence/07-k8ssandra/cql-login-with-the-superuser-secret/">');
    expect(rowText(page, 'Stargate service present')).toBe('↷ skipped Stargate service present Stargate is optional and disabled in this profile 0 ms');
    expect(page).toContain('<p class="reason">needs 07-k8ssandra, which failed</p>');
  });

  it('tabulates measurements with value, unit, labels and time, and summarises series', () => {
    expect(rowText(page, '{operator=k8ssandra}')).toBe(
      'operatorAvailable 45.9 s {operator=k8ssandra} k8ssandra operator Deployment available 2025-06-12 10:16:36Z',
    );
    expect(rowText(page, 'readyReplicas')).toBe(
      'readyReplicas count {deployment=flink-kubernetes-operator} 3 0 1 0 1 2025-06-12 10:15:02Z – 2025-06-12 10:15:50Z',
    );
  });

  it('renders a reason containing markup as text', () => {
    const result = sampleRunResult();
    result.suites[1]!.checks[1]!.reason = HOSTILE_TEXT;
    result.suites[1]!.checks[1]!.name = '<img src=x onerror=alert(1)>';
    result.suites[2]!.reason = '<b>bold</b>';
    result.suites[0]!.measurements[0]!.labels = { '"><script>': '</td>' };
    result.environment.details = { '<x>': '"quoted" & \'single\'' };
    result.config = { note: '</pre><script>alert(2)</script>' };
    const hostile = renderHtml(result);

    expect(hostile).not.toMatch(/<script|<img|<b>bold|<\/pre><script|<\/td>}/i);
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
    result.suites[1]!.checks[1]!.evidence = 'javascript:alert(1)/a "b"#c?d';
    const hostile = renderHtml(result);
    expect(hostile).toContain('<a href="javascript%3Aalert(1)/a%20%22b%22%23c%3Fd/">javascript:alert(1)/a &quot;b&quot;#c?d</a>');
  });

  it('accepts extra suite sections, so a chart section can be added later', () => {
    const chart: SuiteSection = (suite) =>
      suite.series.length ? html`<div class="chart" data-suite="${suite.id}">${suite.series.length} series</div>` : null;
    const withChart = renderHtml(sampleRunResult(), { suiteSections: [...defaultSuiteSections, chart] });
    expect(withChart.match(/class="chart"/g)).toHaveLength(1);
    expect(withChart).toContain('<div class="chart" data-suite="01-platform">1 series</div>');
    // It sits inside that suite's section, after the default sections.
    const platform = withChart.slice(withChart.indexOf('id="suite-01-platform"'), withChart.indexOf('id="suite-07-k8ssandra"'));
    expect(platform.indexOf('<h3>Timeline</h3>')).toBeLessThan(platform.indexOf('class="chart"'));
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
