// report.html: one self-contained page per run that opens from file:// on a laptop with no network,
// e.g. from a CI artifact. No CDN, CSS inline; the only scripts are Chart.js and the chart start-up
// script, both inlined and allowed by hash in the Content-Security-Policy, which forbids any fetch so
// a mistake cannot silently make the page depend on the network. A page without charts has no script.
//
// The page is a list of sections. Run sections render once; suite sections render once per suite,
// in order. A new chart is one more ChartBuilder in charts.ts; a new section one more SuiteSection
// appended to `defaultSuiteSections` (or passed in options).
import type { RunResult, SuiteResult, Verdict } from '../results/model.ts';
import { figureLabel, formatChange, type Comparison, type FigureComparison } from '../trends/compare.ts';
import { chartsOf, renderChart } from './charts.ts';
import { chartLibrary, CHART_INIT_SCRIPT, scriptHash } from './charts-runtime.ts';
import { html, relativeHref, unsafeRaw, type SafeHtml } from './html-template.ts';
import {
  countCases,
  countsText,
  formatDuration,
  formatLabels,
  runCounts,
  runDurationMs,
  suiteCases,
  VERDICT_SYMBOL,
  type Counts,
} from './summary.ts';

export interface ReportContext {
  result: RunResult;
  counts: Counts;
  /** This run against the previous run or a baseline, when there was one to compare with. */
  comparison?: Comparison;
}

/** Renders a part of the page for the whole run; null to leave it out. */
export type RunSection = (ctx: ReportContext) => SafeHtml | null;
/** Renders a part of one suite's block; null to leave it out (e.g. no measurements). */
export type SuiteSection = (suite: SuiteResult, ctx: ReportContext) => SafeHtml | null;

export interface HtmlReportOptions {
  runSections?: readonly RunSection[];
  suiteSections?: readonly SuiteSection[];
  /** Names of sibling files to link in the footer, relative to report.html. */
  links?: { results?: string; junit?: string };
  comparison?: Comparison;
}

export function renderHtml(result: RunResult, options: HtmlReportOptions = {}): string {
  const ctx: ReportContext = { result, counts: runCounts(result), ...(options.comparison ? { comparison: options.comparison } : {}) };
  const runSections = options.runSections ?? defaultRunSections;
  const suiteSections = options.suiteSections ?? defaultSuiteSections;
  const links = { results: 'results.json', junit: 'junit.xml', ...options.links };

  const body = html`
<header>
  <h1>streamcert run <code>${result.runId}</code></h1>
  <p class="meta">profile <b>${result.profile}</b> · started ${formatTime(result.startedAt)} · finished ${formatTime(result.finishedAt)} · ${formatDuration(runDurationMs(result))}</p>
</header>
<main>
${runSections.map((section) => section(ctx))}
${result.suites.map((suite) => suiteBlock(suite, ctx, suiteSections))}
</main>
<footer>
  Source of truth: <a href="${relativeHref(links.results)}">${links.results}</a> · JUnit: <a href="${relativeHref(links.junit)}">${links.junit}</a>
</footer>`;
  return page(`streamcert ${result.runId}: ${result.verdict}`, body, body.value.includes('<canvas data-chart='));
}

// ---------- run sections ----------

export const verdictBanner: RunSection = (ctx) => {
  const { result, counts } = ctx;
  const suites = countCases(result.suites);
  return html`
<section class="banner verdict-${result.verdict}" role="status">
  <div class="banner-verdict">${VERDICT_SYMBOL[result.verdict]} ${result.verdict.toUpperCase()}</div>
  <div class="banner-counts">
    <span class="count passed">${counts.passed} passed</span>
    <span class="count failed">${counts.failed} failed</span>
    <span class="count skipped">${counts.skipped} skipped</span>
    <span class="of">checks in ${result.suites.length} suites (${countsText(suites)})</span>
    ${ctx.comparison ? html`<a class="trend-chip${ctx.comparison.regressions ? ' regressed' : ''}" href="#trends">${ctx.comparison.regressions} regression${ctx.comparison.regressions === 1 ? '' : 's'} vs ${ctx.comparison.baseline.runId}</a>` : ''}
  </div>
</section>`;
};

export const suiteOverview: RunSection = ({ result }) => {
  if (result.suites.length === 0) return html`<section><h2>Suites</h2><p class="empty">No suite ran.</p></section>`;
  return html`
<section>
  <h2>Suites</h2>
  <table>
    <thead><tr><th>Verdict</th><th>Suite</th><th>Title</th><th>Checks</th><th class="num">Duration</th></tr></thead>
    <tbody>
    ${result.suites.map(
      (s) => html`<tr>
      <td>${verdictBadge(s.verdict)}</td>
      <td><a href="#${suiteAnchor(s.id)}"><code>${s.id}</code></a></td>
      <td>${s.title}</td>
      <td>${countsText(countCases(suiteCases(s)))}</td>
      <td class="num">${formatDuration(s.durationMs)}</td>
    </tr>`,
    )}
    </tbody>
  </table>
</section>`;
};

export const environmentTable: RunSection = ({ result }) => {
  const env = result.environment;
  const rows: [string, string | number | undefined][] = [
    ['target', env.target],
    ['Kubernetes', env.kubernetesVersion],
    ['nodes', env.nodeCount],
    ['Flink Kubernetes Operator', env.operatorVersion],
    ['Flink', env.flinkVersion],
    ['Cassandra', env.cassandraVersion],
    ...Object.entries(env.details ?? {}),
    ['captured at', formatTime(env.capturedAt)],
  ];
  return html`
<section>
  <h2>Environment</h2>
  <table class="kv">
    <tbody>
    ${rows.filter(([, v]) => v !== undefined).map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}
    </tbody>
  </table>
</section>`;
};

/** The effective configuration (secrets already masked by the runner), folded away by default. */
export const configurationBlock: RunSection = ({ result }) => {
  if (result.config === undefined) return null;
  return html`
<section>
  <details>
    <summary>Effective configuration</summary>
    <pre>${JSON.stringify(result.config, null, 2)}</pre>
  </details>
</section>`;
};

/** Each figure against the baseline run, regressions first; informational figures folded away. */
export const trendsSection: RunSection = ({ comparison }) => {
  if (!comparison) return null;
  const changed = comparison.figures.filter((f) => f.status === 'regressed' || f.status === 'improved');
  const unchanged = comparison.figures.filter((f) => f.status === 'unchanged');
  const other = comparison.figures.filter((f) => !changed.includes(f) && !unchanged.includes(f));
  const row = (f: FigureComparison) => html`<tr class="trend-${f.status}">
      <td><span class="badge trend-${f.status}">${f.status}</span></td>
      <td><a href="#${suiteAnchor(f.suite)}"><code>${f.suite}</code></a></td>
      <td><code>${figureLabel(f)}</code></td>
      <td class="num">${f.baseline === undefined ? '–' : formatNumber(f.baseline)}</td>
      <td class="num">${f.current === undefined ? '–' : formatNumber(f.current)}</td>
      <td>${f.unit}</td>
      <td class="num">${formatChange(f)}</td>
      <td class="num">${f.direction === 'informational' ? '' : `${f.thresholdPercent}%`}</td>
    </tr>`;
  const head = html`<thead><tr><th>Status</th><th>Suite</th><th>Figure</th><th class="num">Baseline</th><th class="num">This run</th><th>Unit</th><th class="num">Change</th><th class="num">Threshold</th></tr></thead>`;
  const base = comparison.baseline;
  return html`
<section id="trends">
  <h2>Trends</h2>
  <p class="meta">Against ${base.source === 'previous' ? 'the previous run' : html`baseline <code>${base.ref}</code>`}: run <code>${base.runId}</code> (profile ${base.profile}, started ${formatTime(base.startedAt)}). Times that grow and rates that fall by more than the threshold are regressions. <b>${comparison.regressions} regressed</b>, ${comparison.improvements} improved.</p>
  ${comparison.environmentDifferences.length ? html`<p class="reason">The environment differs from the baseline's: ${comparison.environmentDifferences.join('; ')}</p>` : ''}
  ${changed.length ? html`<table class="trends">${head}<tbody>${changed.map(row)}</tbody></table>` : html`<p class="empty">No time or rate changed by more than its threshold (${unchanged.length} compared).</p>`}
  ${unchanged.length ? html`<details><summary>${unchanged.length} times and rates within their threshold</summary><table class="trends">${head}<tbody>${unchanged.map(row)}</tbody></table></details>` : ''}
  ${other.length ? html`<details><summary>${other.length} other figures (counts and ids, or in one run only)</summary><table class="trends">${head}<tbody>${other.map(row)}</tbody></table></details>` : ''}
</section>`;
};

/** Every failed check up front, with its reason and a link to its evidence: what a person acts on first. */
export const failuresSection: RunSection = ({ result }) => {
  const failed = result.suites.flatMap(suiteCases).filter((c) => c.verdict === 'failed');
  if (failed.length === 0) return null;
  return html`
<section id="failures">
  <h2>Failures</h2>
  <ul class="failures">
  ${failed.map(
    (c) => html`<li><a href="#${suiteAnchor(c.suiteId)}"><code>${c.suiteId}</code></a> › <b>${c.name}</b>${
      c.evidence ? html` · <a href="${relativeHref(c.evidence, { folder: true })}">evidence</a>` : ''
    }<div class="reason">${c.reason ?? 'failed without a reason'}</div></li>`,
  )}
  </ul>
</section>`;
};

export const defaultRunSections: readonly RunSection[] = [verdictBanner, failuresSection, trendsSection, suiteOverview, environmentTable, configurationBlock];

// ---------- suite sections ----------

function suiteBlock(suite: SuiteResult, ctx: ReportContext, sections: readonly SuiteSection[]): SafeHtml {
  return html`
<section class="suite" id="${suiteAnchor(suite.id)}">
  <h2>${verdictBadge(suite.verdict)} <code>${suite.id}</code> ${suite.title}</h2>
  <p class="meta">${formatDuration(suite.durationMs)}${suite.namespace ? html` · namespace <code>${suite.namespace}</code>` : ''}${
    suite.needs.length > 0 ? html` · needs ${suite.needs.map((n, i) => html`${i > 0 ? ', ' : ''}<a href="#${suiteAnchor(n)}"><code>${n}</code></a>`)}` : ''
  }</p>
  ${suite.reason ? html`<p class="reason">${suite.reason}</p>` : ''}
  ${sections.map((section) => section(suite, ctx))}
</section>`;
}

export const checksTable: SuiteSection = (suite) => {
  const cases = suiteCases(suite);
  if (cases.length === 0) return html`<p class="empty">No checks.</p>`;
  return html`
  <h3>Checks</h3>
  <table class="checks">
    <thead><tr><th>Verdict</th><th>Check</th><th>Reason</th><th class="num">Duration</th><th>Evidence</th></tr></thead>
    <tbody>
    ${cases.map(
      (c) => html`<tr class="verdict-row-${c.verdict}">
      <td>${verdictBadge(c.verdict)}</td>
      <td>${c.suiteLevel ? html`<i>${c.name}</i>` : c.name}</td>
      <td class="reason-cell">${c.reason ?? ''}</td>
      <td class="num">${formatDuration(c.durationMs)}</td>
      <td>${c.evidence ? html`<a href="${relativeHref(c.evidence, { folder: true })}">${c.evidence}</a>` : ''}</td>
    </tr>`,
    )}
    </tbody>
  </table>`;
};

/** Finalizers teardown removed by force: the cluster is clean, but not because the deletion worked. */
export const forcedRemovalsTable: SuiteSection = (suite) => {
  const forced = suite.forcedRemovals ?? [];
  if (forced.length === 0) return null;
  return html`
  <h3>Forced removals</h3>
  <p class="meta">Teardown removed these finalizers because their owner had not finished the deletion.</p>
  <table class="forced-removals">
    <thead><tr><th>Object</th><th>Finalizers removed</th><th class="num">After</th><th>Time</th></tr></thead>
    <tbody>
    ${forced.map(
      (f) => html`<tr class="verdict-row-failed">
      <td><code>${f.object}</code></td>
      <td>${f.finalizers.map((name, i) => html`${i > 0 ? ', ' : ''}<code>${name}</code>`)}</td>
      <td class="num">${formatNumber(f.afterSeconds)} s</td>
      <td>${formatTime(f.at)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`;
};

/** The suite's charts (charts.ts), two to a row; nothing when the suite recorded nothing to draw. */
export const chartsSection: SuiteSection = (suite, ctx) => {
  const charts = chartsOf({ suite, ...(ctx.comparison ? { comparison: ctx.comparison } : {}) });
  if (charts.length === 0) return null;
  return html`
  <h3>Charts</h3>
  <div class="charts">${charts.map(renderChart)}</div>`;
};

/** Chaos experiments: fault target, verdict, resiliency score and every probe with what it saw. */
export const experimentsTable: SuiteSection = (suite) => {
  const experiments = suite.experiments ?? [];
  if (experiments.length === 0) return null;
  const verdictClass = { Pass: 'passed', Fail: 'failed', Stopped: 'skipped' } as const;
  return html`
  <h3>Chaos experiments</h3>
  <table class="experiments">
    <thead><tr><th>Experiment</th><th>Target</th><th>Verdict</th><th class="num">Resiliency</th><th>Probes</th><th>Fault at</th></tr></thead>
    <tbody>
    ${experiments.map(
      (e) => html`<tr class="verdict-row-${verdictClass[e.verdict]}">
      <td><code>${e.name}</code></td>
      <td>${e.target}</td>
      <td><span class="badge verdict-${verdictClass[e.verdict]}">${e.verdict}</span></td>
      <td class="num">${formatNumber(e.resiliencyScore)}%</td>
      <td><ul class="probes">${e.probes.map(
        (p) => html`<li class="${p.passed ? 'probe-passed' : 'probe-failed'}">${p.passed ? VERDICT_SYMBOL.passed : VERDICT_SYMBOL.failed} <b>${p.phase}</b> ${p.name}${p.detail ? html`: <span class="reason-cell">${p.detail}</span>` : ''}</li>`,
      )}</ul></td>
      <td>${e.faultAt ? formatTime(e.faultAt) : ''}</td>
    </tr>`,
    )}
    </tbody>
  </table>`;
};

export const measurementsTable: SuiteSection = (suite) => {
  if (suite.measurements.length === 0) return null;
  return html`
  <h3>Measurements</h3>
  <table>
    <thead><tr><th>Name</th><th class="num">Value</th><th>Unit</th><th>Labels</th><th>Check</th><th>Time</th></tr></thead>
    <tbody>
    ${suite.measurements.map(
      (m) => html`<tr>
      <td><code>${m.name}</code></td>
      <td class="num">${formatNumber(m.value)}</td>
      <td>${m.unit}</td>
      <td>${formatLabels(m.labels)}</td>
      <td>${m.check ?? ''}</td>
      <td>${formatTime(m.at)}</td>
    </tr>`,
    )}
    </tbody>
  </table>`;
};

/** The numbers behind the series charts. */
export const seriesTable: SuiteSection = (suite) => {
  if (suite.series.length === 0) return null;
  return html`
  <h3>Series</h3>
  <table>
    <thead><tr><th>Name</th><th>Unit</th><th>Labels</th><th class="num">Points</th><th class="num">First</th><th class="num">Last</th><th class="num">Min</th><th class="num">Max</th><th>From – to</th></tr></thead>
    <tbody>
    ${suite.series.map((s) => {
      const values = s.points.map((p) => p.value);
      const first = s.points[0];
      const last = s.points[s.points.length - 1];
      return html`<tr>
      <td><code>${s.name}</code></td>
      <td>${s.unit}</td>
      <td>${formatLabels(s.labels)}</td>
      <td class="num">${s.points.length}</td>
      <td class="num">${first ? formatNumber(first.value) : '–'}</td>
      <td class="num">${last ? formatNumber(last.value) : '–'}</td>
      <td class="num">${values.length ? formatNumber(Math.min(...values)) : '–'}</td>
      <td class="num">${values.length ? formatNumber(Math.max(...values)) : '–'}</td>
      <td>${first && last ? `${formatTime(first.at)} – ${formatTime(last.at)}` : ''}</td>
    </tr>`;
    })}
    </tbody>
  </table>`;
};

export const eventsTable: SuiteSection = (suite) => {
  if (suite.events.length === 0) return null;
  const events = [...suite.events].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return html`
  <h3>Timeline</h3>
  <table>
    <thead><tr><th>Time</th><th>Event</th><th>Labels</th></tr></thead>
    <tbody>
    ${events.map((e) => html`<tr><td>${formatTime(e.at)}</td><td>${e.name}</td><td>${formatLabels(e.labels)}</td></tr>`)}
    </tbody>
  </table>`;
};

export const defaultSuiteSections: readonly SuiteSection[] = [checksTable, forcedRemovalsTable, chartsSection, experimentsTable, measurementsTable, seriesTable, eventsTable];

// ---------- pieces ----------

function verdictBadge(verdict: Verdict): SafeHtml {
  return html`<span class="badge verdict-${verdict}">${VERDICT_SYMBOL[verdict]} ${verdict}</span>`;
}

/** Suite ids are `NN-name`, but anchors must survive anything. */
export function suiteAnchor(id: string): string {
  return `suite-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

/** UTC, to the second, so a report reads the same wherever it is opened. */
function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
}

function page(title: string, body: SafeHtml, withCharts: boolean): string {
  // Scripts only when there is a chart to draw; each allowed by the hash of its exact text.
  const scripts = withCharts ? [chartLibrary(), CHART_INIT_SCRIPT] : [];
  const scriptSrc = scripts.length ? `; script-src ${scripts.map(scriptHash).join(' ')}` : '';
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:${scriptSrc}">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
${scripts.map((s) => html`<script>${unsafeRaw(s)}</script>
`)}</body>
</html>
`.value;
}

// Inline because the page must open offline; kept plain so it prints well too.
const STYLE = html`
:root { --passed: #1a7f37; --failed: #cf222e; --skipped: #6e7781; --line: #d0d7de; --muted: #57606a; --bg-alt: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1f2328; margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 6px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; }
pre { background: var(--bg-alt); padding: 12px; overflow: auto; border-radius: 6px; }
.meta { color: var(--muted); margin: 0 0 8px; }
.banner { display: flex; gap: 24px; align-items: center; padding: 16px 20px; border-radius: 8px; color: #fff; margin: 16px 0; }
.banner.verdict-passed { background: var(--passed); }
.banner.verdict-failed { background: var(--failed); }
.banner.verdict-skipped { background: var(--skipped); }
.banner-verdict { font-size: 26px; font-weight: 700; letter-spacing: .5px; }
.banner-counts { display: flex; gap: 14px; flex-wrap: wrap; align-items: baseline; font-size: 16px; }
.banner-counts .count { font-weight: 600; }
.banner-counts .of { opacity: .9; font-size: 13px; }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--bg-alt); font-weight: 600; }
table.kv { width: auto; }
table.kv th { font-weight: 500; color: var(--muted); padding-right: 24px; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.reason, .reason-cell { white-space: pre-wrap; overflow-wrap: anywhere; }
p.reason { border-left: 4px solid var(--line); padding: 4px 10px; margin: 6px 0; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; white-space: nowrap; }
.badge.verdict-passed { background: var(--passed); }
.badge.verdict-failed { background: var(--failed); }
.badge.verdict-skipped { background: var(--skipped); }
tr.verdict-row-failed td { background: #ffebe9; }
.suite { border-top: 2px solid var(--line); margin-top: 24px; }
.empty { color: var(--muted); font-style: italic; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(460px, 1fr)); gap: 16px; margin: 4px 0 12px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
figure.chart figcaption { font-weight: 600; margin-bottom: 4px; }
.chart-box { position: relative; height: 260px; }
.chart-caption { color: var(--muted); font-size: 12px; margin: 6px 0 0; }
ul.probes { margin: 0; padding-left: 0; list-style: none; }
li.probe-failed { color: var(--failed); }
.trend-chip { background: rgba(255,255,255,.2); color: #fff; border-radius: 10px; padding: 1px 10px; font-size: 13px; text-decoration: none; }
.trend-chip.regressed { background: #fff; color: var(--failed); font-weight: 700; }
.badge.trend-regressed { background: var(--failed); }
.badge.trend-improved { background: var(--passed); }
.badge.trend-unchanged, .badge.trend-new, .badge.trend-missing, .badge.trend-informational { background: var(--skipped); }
tr.trend-regressed td { background: #ffebe9; }
ul.failures { padding-left: 18px; }
ul.failures li { margin-bottom: 8px; }
ul.failures .reason { color: var(--failed); margin-top: 2px; }
footer { color: var(--muted); margin-top: 32px; border-top: 1px solid var(--line); padding-top: 8px; }
a { color: #0969da; }
`;
