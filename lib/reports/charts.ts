// The figures of report.html that read better as pictures, drawn by Chart.js in the page. Each chart
// is a pure function of one suite's results (picked by suite id + figure name, the names the suites
// record) returning a Chart.js configuration that is plain JSON, or null when the data is absent: a
// run without 05 has no scaling chart rather than an empty one. The configuration travels in the
// canvas' data-chart attribute; charts-runtime.ts turns every such canvas into a chart in the browser.
import type { ChartConfiguration, ChartDataset } from 'chart.js';
import type { ChaosExperiment, Measurement, Series, SuiteResult, TimelineEvent } from '../results/model.ts';
import type { Comparison } from '../trends/compare.ts';
import { html, type SafeHtml } from './html-template.ts';
import { formatLabels } from './summary.ts';

export interface ChartSpec {
  /** Stable id, e.g. `04-jobmanager-ha-ha-timeline`: the browser check names charts by it. */
  id: string;
  title: string;
  /** One sentence a person reads under the chart: what it shows, the figures behind it. */
  caption?: string;
  config: ChartConfiguration;
}

export interface ChartInput {
  suite: SuiteResult;
  comparison?: Comparison;
}

export type ChartBuilder = (input: ChartInput) => ChartSpec[];

export const SUITES = {
  ha: '04-jobmanager-ha',
  scaling: '05-reactive-scaling',
  wordCount: '06-wordcount-sweep',
  writes: '08-flink-to-cassandra',
} as const;

const COLORS = ['#0969da', '#bc4c00', '#1a7f37', '#8250df', '#cf222e', '#6e7781', '#bf8700', '#1b7c83'];
const PASSED = '#1a7f37';
const FAILED = '#cf222e';
const STOPPED = '#6e7781';

// ---------- 06: WordCount duration per parallelism ----------

export const wordCountChart: ChartBuilder = ({ suite, comparison }) => {
  if (suite.id !== SUITES.wordCount) return [];
  const runs = suite.measurements
    .filter((m) => m.name === 'duration' && m.labels?.parallelism !== undefined && Number.isFinite(Number(m.labels.parallelism)))
    .sort((a, b) => Number(a.labels!.parallelism) - Number(b.labels!.parallelism));
  if (runs.length === 0) return [];
  const unit = runs[0]!.unit;
  const datasets: ChartDataset<'bar'>[] = [{ label: 'this run', data: runs.map((m) => m.value), backgroundColor: COLORS[0] }];
  const baseline = runs.map((m) => comparison?.figures.find((f) => f.key === `${suite.id}/duration${formatLabels(m.labels)}`)?.baseline ?? null);
  if (baseline.some((v) => v !== null)) {
    datasets.push({ label: `baseline ${comparison!.baseline.runId}`, data: baseline as number[], backgroundColor: '#afb8c1' });
  }
  const fastest = runs.reduce((a, b) => (b.value < a.value ? b : a));
  return [
    {
      id: `${suite.id}-duration-by-parallelism`,
      title: 'WordCount duration by parallelism',
      caption: `Fastest at parallelism ${fastest.labels!.parallelism}: ${fastest.value} ${unit}.`,
      config: {
        type: 'bar',
        data: { labels: runs.map((m) => m.labels!.parallelism!), datasets },
        options: {
          scales: {
            x: { title: { display: true, text: 'parallelism' } },
            y: { beginAtZero: true, title: { display: true, text: `duration (${unit})` } },
          },
          plugins: { legend: { display: datasets.length > 1 } },
        },
      },
    },
  ];
};

// ---------- 04: the HA timeline per variant ----------

const KILL_EVENTS = ['jobmanager-killed', 'killed'];
const HA_PHASES = [
  { label: 'kill → new JobManager Ready', event: 'jobmanager-ready', measurement: 'timeToNewJobManagerReady', color: COLORS[1] },
  { label: 'Ready → job RUNNING', event: 'job-running', measurement: 'rto', color: COLORS[0] },
  { label: 'RUNNING → first new checkpoint', event: 'first-new-checkpoint', measurement: 'timeToFirstNewCheckpoint', color: COLORS[2] },
] as const;

/** Seconds from the kill to each milestone of one variant, from the events (or the measurements when events are missing). */
export function haMilestones(suite: SuiteResult, variant: string): (number | undefined)[] {
  const ofVariant = <T extends { labels?: Record<string, string> }>(xs: T[]) => xs.filter((x) => (x.labels?.variant ?? '') === variant);
  const events = ofVariant<TimelineEvent>(suite.events);
  const measurements = ofVariant<Measurement>(suite.measurements);
  const kill = events.find((e) => KILL_EVENTS.includes(e.name));
  return HA_PHASES.map((phase) => {
    const event = events.find((e) => e.name === phase.event);
    if (kill && event) return round((Date.parse(event.at) - Date.parse(kill.at)) / 1000);
    const m = measurements.find((x) => x.name === phase.measurement && x.unit === 's');
    return m ? m.value : undefined;
  });
}

export const haTimelineChart: ChartBuilder = ({ suite }) => {
  if (suite.id !== SUITES.ha) return [];
  const variants = unique([...suite.events, ...suite.measurements].map((x) => x.labels?.variant).filter((v): v is string => v !== undefined));
  const rows = variants.map((variant) => ({ variant, marks: haMilestones(suite, variant) })).filter((r) => r.marks.some((m) => m !== undefined));
  if (rows.length === 0) return [];
  // Stacked segments: each bar is one variant's recovery, split at its milestones.
  const datasets: ChartDataset<'bar'>[] = HA_PHASES.map((phase, i) => ({
    label: phase.label,
    backgroundColor: phase.color,
    data: rows.map(({ marks }) => {
      const end = marks[i];
      if (end === undefined) return null as unknown as number;
      const start = marks.slice(0, i).filter((m): m is number => m !== undefined).at(-1) ?? 0;
      return round(Math.max(0, end - start));
    }),
  }));
  const caption = rows
    .map(({ variant, marks }) => {
      const parts = ['JobManager Ready', 'RUNNING (RTO)', 'first new checkpoint'].flatMap((name, i) => (marks[i] === undefined ? [] : [`${name} ${marks[i]} s`]));
      return `${variant}: ${parts.join(', ')}`;
    })
    .join(' · ');
  return [
    {
      id: `${suite.id}-ha-timeline`,
      title: 'Recovery after the JobManager kill',
      caption: `Seconds after the kill. ${caption}.`,
      config: {
        type: 'bar',
        data: { labels: rows.map((r) => r.variant), datasets },
        options: {
          indexAxis: 'y',
          scales: {
            x: { stacked: true, beginAtZero: true, title: { display: true, text: 'seconds after the kill' } },
            y: { stacked: true },
          },
        },
      },
    },
  ];
};

// ---------- series over time: 05 replicas/parallelism/CPU, 08 writes, and any other series ----------

interface Line {
  series: Series;
  label: string;
  /** `y` (left) or `y1` (right). */
  axis: 'y' | 'y1';
  stepped?: boolean;
}

function timeChart(id: string, title: string, lines: Line[], axes: { y: string; y1?: string }, caption?: string): ChartSpec | null {
  const withPoints = lines.filter((l) => l.series.points.length > 0);
  if (withPoints.length === 0) return null;
  const t0 = Math.min(...withPoints.flatMap((l) => l.series.points.map((p) => Date.parse(p.at))));
  const datasets: ChartDataset<'line'>[] = withPoints.map((l, i) => ({
    label: l.label,
    data: l.series.points.map((p) => ({ x: round((Date.parse(p.at) - t0) / 1000), y: p.value })),
    yAxisID: l.axis,
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    stepped: l.stepped ? 'before' : false,
    pointRadius: l.series.points.length > 40 ? 0 : 3,
    borderWidth: 2,
  }));
  const usesY1 = withPoints.some((l) => l.axis === 'y1');
  return {
    id,
    title,
    caption,
    config: {
      type: 'line',
      data: { datasets },
      options: {
        parsing: false,
        scales: {
          x: { type: 'linear', title: { display: true, text: `seconds since ${new Date(t0).toISOString().slice(11, 19)}Z` } },
          y: { beginAtZero: true, title: { display: true, text: axes.y } },
          ...(usesY1 ? { y1: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: axes.y1 ?? '' } } } : {}),
        },
      },
    },
  };
}

const SCALING_SERIES = ['taskManagerReplicas', 'jobParallelism', 'cpuUtilization'];

export const scalingCharts: ChartBuilder = ({ suite }) => {
  if (suite.id !== SUITES.scaling) return [];
  const scenarios = unique(suite.series.filter((s) => SCALING_SERIES.includes(s.name)).map((s) => s.labels?.scenario ?? ''));
  return scenarios.flatMap((scenario) => {
    const of = (name: string) => suite.series.filter((s) => s.name === name && (s.labels?.scenario ?? '') === scenario);
    const lines: Line[] = [
      ...of('taskManagerReplicas').map((series) => ({ series, label: 'TaskManager replicas', axis: 'y' as const, stepped: true })),
      ...of('jobParallelism').map((series) => ({ series, label: 'job parallelism', axis: 'y' as const, stepped: true })),
      ...of('cpuUtilization').map((series) => ({ series, label: `CPU utilisation (${series.unit})`, axis: 'y1' as const })),
    ];
    const name = scenario === 'hpa' ? 'under the HPA' : scenario === 'kubectl-scale' ? 'scaled by hand (kubectl scale)' : scenario;
    const chart = timeChart(`${suite.id}-scaling-${slugOf(scenario || 'default')}`, `TaskManager replicas and job parallelism ${name}`.trim(), lines, { y: 'count', y1: '%' });
    return chart ? [chart] : [];
  });
};

export const writesChart: ChartBuilder = ({ suite }) => {
  if (suite.id !== SUITES.writes) return [];
  const count = suite.series.filter((s) => s.name === 'writeCount');
  const rate = suite.series.filter((s) => s.name === 'writesPerSecond');
  const lines: Line[] = [
    ...count.map((series) => ({ series, label: `write count${formatLabels(series.labels)}`, axis: 'y' as const })),
    ...rate.map((series) => ({ series, label: `writes per second${formatLabels(series.labels)}`, axis: 'y1' as const })),
  ];
  const last = count[0]?.points.at(-1);
  const rates = rate.flatMap((s) => s.points.map((p) => p.value));
  const caption = [
    last ? `${last.value} writes in total` : '',
    rates.length ? `rate ${Math.min(...rates)}–${Math.max(...rates)} ${rate[0]!.unit}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const chart = timeChart(`${suite.id}-writes`, 'Cassandra writes over time', lines, { y: count[0]?.unit ?? 'count', y1: rate[0]?.unit ?? '1/s' }, caption ? `${caption}.` : undefined);
  return chart ? [chart] : [];
};

/** Series no dedicated chart draws: one chart per name, a line per label set. */
export const otherSeriesCharts: ChartBuilder = ({ suite }) => {
  const claimed = claimedSeries[suite.id] ?? [];
  const rest = suite.series.filter((s) => !claimed.includes(s.name));
  return unique(rest.map((s) => s.name)).flatMap((name) => {
    const group = rest.filter((s) => s.name === name);
    const lines = group.map((series) => ({ series, label: `${name}${formatLabels(series.labels)}`, axis: 'y' as const, stepped: series.unit === 'count' }));
    const chart = timeChart(`${suite.id}-series-${slugOf(name)}`, name, lines, { y: group[0]!.unit });
    return chart ? [chart] : [];
  });
};

/** Series the dedicated charts draw (06's duration series repeats the per-parallelism measurements). */
const claimedSeries: Record<string, string[]> = {
  [SUITES.scaling]: SCALING_SERIES,
  [SUITES.writes]: ['writeCount', 'writesPerSecond'],
  [SUITES.wordCount]: ['wordCountDuration'],
};

// ---------- chaos experiments ----------

export const chaosScoreChart: ChartBuilder = ({ suite }) => {
  const experiments = suite.experiments ?? [];
  if (experiments.length === 0) return [];
  const color = (e: ChaosExperiment) => (e.verdict === 'Pass' ? PASSED : e.verdict === 'Fail' ? FAILED : STOPPED);
  return [
    {
      id: `${suite.id}-resiliency`,
      title: 'Resiliency score per experiment',
      caption: experiments.map((e) => `${e.name}: ${e.verdict}, ${e.resiliencyScore}%`).join(' · '),
      config: {
        type: 'bar',
        data: {
          labels: experiments.map((e) => e.name),
          datasets: [{ label: 'resiliency score (%)', data: experiments.map((e) => e.resiliencyScore), backgroundColor: experiments.map(color) }],
        },
        options: {
          indexAxis: 'y',
          scales: { x: { min: 0, max: 100, title: { display: true, text: 'probes passed (%)' } } },
          plugins: { legend: { display: false } },
        },
      },
    },
  ];
};

export const defaultChartBuilders: readonly ChartBuilder[] = [haTimelineChart, scalingCharts, wordCountChart, writesChart, chaosScoreChart, otherSeriesCharts];

export function chartsOf(input: ChartInput, builders: readonly ChartBuilder[] = defaultChartBuilders): ChartSpec[] {
  return builders.flatMap((b) => b(input));
}

/** A figure with its canvas; the configuration is JSON in an attribute (escaped like any attribute). */
export function renderChart(spec: ChartSpec): SafeHtml {
  return html`<figure class="chart" id="chart-${spec.id}">
    <figcaption>${spec.title}</figcaption>
    <div class="chart-box"><canvas data-chart="${JSON.stringify(spec.config)}" data-chart-id="${spec.id}" role="img" aria-label="${spec.title}"></canvas></div>
    ${spec.caption ? html`<p class="chart-caption">${spec.caption}</p>` : ''}
  </figure>`;
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

function slugOf(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
