// Opens a report.html in a real headless Chromium (Debian's `chromium`, driven by playwright-core) the
// way a person opens it from a CI artifact: from file://, with no network. It reports what would
// make the page wrong for that person: a console error (a CSP refusal shows up there), a script
// error, a request leaving the file, a chart that did not draw; and it writes a full-page screenshot.
//
//   const check = await checkReportInBrowser('reports/latest/report.html', 'reports/latest/report.png');
//   expect(check.problems).toEqual([]);      // check.charts lists each chart with its drawn points
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';

export interface ChartCheck {
  /** The chart's id (data-chart-id), e.g. `04-jobmanager-ha-ha-timeline`. */
  id: string;
  title: string;
  /** A Chart.js instance exists for the canvas. */
  instance: boolean;
  /** Data points per dataset that Chart.js laid out (elements in its dataset meta). */
  datasets: { label: string; points: number }[];
  /** Canvas pixels in a data colour (saturated): axes, grid and text are grey, so 0 means nothing was drawn. */
  colouredPixels: number;
  width: number;
  height: number;
}

export interface BrowserCheck {
  htmlPath: string;
  screenshotPath: string;
  chromium: string;
  charts: ChartCheck[];
  consoleErrors: string[];
  pageErrors: string[];
  /** Requests for anything but the file itself (the page must be self-contained). */
  externalRequests: string[];
  /** From navigation to every chart drawn, in ms. */
  renderMs: number;
  /** Everything above that is wrong, one line each; empty when the page is fine. */
  problems: string[];
}

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/**
 * The Chromium executable: $STREAMCERT_CHROMIUM, else Debian's. When missing and running as root it is
 * installed with apt-get (like the lab's packages); otherwise the error says how to get it.
 */
export async function ensureChromium(): Promise<string> {
  const configured = process.env.STREAMCERT_CHROMIUM;
  if (configured) {
    if (!existsSync(configured)) throw new Error(`STREAMCERT_CHROMIUM=${configured} does not exist`);
    return configured;
  }
  const found = CANDIDATES.find((c) => existsSync(c));
  if (found) return found;
  if (process.getuid?.() === 0) {
    const { ensureAptPackages } = await import('../lab/index.ts');
    await ensureAptPackages(['chromium']);
    const installed = CANDIDATES.find((c) => existsSync(c));
    if (installed) return installed;
  }
  throw new Error('no Chromium found: install Debian\'s `chromium` (apt-get install chromium) or set STREAMCERT_CHROMIUM to a Chromium executable');
}

/** Loads htmlPath from file:// in headless Chromium, checks it (see BrowserCheck) and writes a full-page PNG to screenshotPath. */
export async function checkReportInBrowser(htmlPath: string, screenshotPath: string, opts: { timeoutMs?: number } = {}): Promise<BrowserCheck> {
  const timeout = opts.timeoutMs ?? 60_000;
  const executablePath = await ensureChromium();
  const { chromium } = await import('playwright-core');
  const file = path.resolve(htmlPath);
  const fileUrl = pathToFileURL(file).href;
  const result: BrowserCheck = {
    htmlPath: file,
    screenshotPath: path.resolve(screenshotPath),
    chromium: executablePath,
    charts: [],
    consoleErrors: [],
    pageErrors: [],
    externalRequests: [],
    renderMs: 0,
    problems: [],
  };
  // Root cannot use Chromium's sandbox; the page is our own file.
  const browser: Browser = await chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'], timeout });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    page.setDefaultTimeout(timeout);
    page.on('console', (msg) => {
      if (msg.type() === 'error') result.consoleErrors.push(msg.text());
    });
    page.on('pageerror', (err) => result.pageErrors.push(err.message));
    page.on('request', (req) => {
      if (req.url() !== fileUrl && !req.url().startsWith('data:')) result.externalRequests.push(req.url());
    });
    const started = Date.now();
    await page.goto(fileUrl, { waitUntil: 'load' });
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    result.charts = await page.evaluate(inspectCharts);
    result.renderMs = Date.now() - started;
    await mkdir(path.dirname(result.screenshotPath), { recursive: true });
    await page.screenshot({ path: result.screenshotPath, fullPage: true });
  } finally {
    await browser.close();
  }
  result.problems = problemsOf(result);
  return result;
}

function problemsOf(r: BrowserCheck): string[] {
  const problems = [
    ...r.consoleErrors.map((e) => `console error: ${e}`),
    ...r.pageErrors.map((e) => `page error: ${e}`),
    ...r.externalRequests.map((u) => `request outside the file: ${u}`),
  ];
  for (const c of r.charts) {
    if (!c.instance) problems.push(`chart ${c.id}: no Chart.js instance (the script did not run for it)`);
    else if (!c.datasets.some((d) => d.points > 0)) problems.push(`chart ${c.id}: no data point drawn`);
    else if (c.colouredPixels === 0) problems.push(`chart ${c.id}: the canvas shows no data (${c.width}×${c.height} px, no data-coloured pixel)`);
  }
  return problems;
}

/** Runs in the page: each chart canvas, its Chart.js instance, the elements laid out and the pixels painted. */
function inspectCharts(): ChartCheck[] {
  const w = window as unknown as { Chart?: { getChart(c: HTMLCanvasElement): ChartLike | undefined } };
  interface ChartLike {
    data: { datasets: { label?: string }[] };
    getDatasetMeta(i: number): { data: unknown[]; hidden: boolean | null };
  }
  return [...document.querySelectorAll<HTMLCanvasElement>('canvas[data-chart]')].map((canvas) => {
    const chart = w.Chart?.getChart(canvas);
    const base = { id: canvas.dataset.chartId ?? '', title: canvas.getAttribute('aria-label') ?? '', width: canvas.width, height: canvas.height };
    if (!chart) return { ...base, instance: false, datasets: [], colouredPixels: 0 };
    const datasets = chart.data.datasets.map((d, i) => ({
      label: d.label ?? '',
      // Elements with a null value (a missing bar) are skipped by Chart.js' `skip` flag.
      points: (chart.getDatasetMeta(i).data as { skip?: boolean }[]).filter((el) => !el.skip).length,
    }));
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let coloured = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      const r = pixels[i]!;
      const g = pixels[i + 1]!;
      const b = pixels[i + 2]!;
      if (pixels[i + 3]! > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured += 1;
    }
    return { ...base, instance: true, datasets, colouredPixels: coloured };
  });
}
