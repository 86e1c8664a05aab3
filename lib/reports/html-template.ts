// A tiny tagged template that escapes every interpolated value unless it is already SafeHtml.
// Escaping by default (instead of remembering to call escape() at each use) is what keeps a check's
// reason such as `<script>` rendering as text in report.html, however the report grows.
import { stripInvalidXmlChars } from './chars.ts';

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Values a template accepts: text is escaped, SafeHtml passes through, lists are concatenated, nothing renders as ''. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** For markup built elsewhere that is known to be safe (e.g. a chart library's SVG). Use sparingly. */
export function unsafeRaw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

export function escapeHtml(text: string): string {
  return stripInvalidXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A relative link to a path inside the run folder, each segment percent-encoded, so names with spaces,
 * `#` or `?` still resolve under file:// and a value like `javascript:x` can only ever be a relative path.
 */
export function relativeHref(relativePath: string, { folder = false } = {}): string {
  const segments = relativePath.split('/').filter((s) => s !== '' && s !== '.');
  const href = segments.map(encodeURIComponent).join('/');
  return folder ? `${href}/` : href;
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}
