// The scripts report.html carries so its charts draw from file:// with no network: Chart.js' UMD build,
// read from node_modules when the report is rendered, and a small script that turns every
// <canvas data-chart="…"> into a chart. Both are inline, allowed by the page's CSP through their
// SHA-256 hashes only, so nothing else (an injected <script>, a fetch) can run.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** Runs in the browser. Charts are static pictures: no animation (a screenshot shows the end state). */
export const CHART_INIT_SCRIPT = `(function () {
  Chart.defaults.animation = false;
  Chart.defaults.responsive = true;
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  Chart.defaults.plugins.legend.position = 'bottom';
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
    new Chart(canvas, JSON.parse(canvas.getAttribute('data-chart')));
  });
})();`;

let library: string | undefined;

/** Chart.js' minified UMD build (defines the global `Chart`). */
export function chartLibrary(): string {
  if (library === undefined) {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.min.js');
    const text = readFileSync(file, 'utf8');
    // An inline script ends at the first `</script`, whatever the JavaScript around it means.
    if (/<\/script/i.test(text)) throw new Error(`${file} contains "</script" and cannot be inlined`);
    library = text;
  }
  return library;
}

/** The CSP source for an inline script: `'sha256-<base64>'` of its exact text. */
export function scriptHash(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}
