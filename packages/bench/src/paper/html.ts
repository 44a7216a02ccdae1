import { renderSvg } from '@deepspike/train';

/** A Vega-Lite spec as `@deepspike/train`'s `renderSvg` takes it. */
export type ChartSpec = Parameters<typeof renderSvg>[0];

/** Escapes text for HTML. */
export const escapeHtml = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** An HTML table (cells are escaped). */
export function htmlTable(head: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  const cell = (v: string | number | null): string => escapeHtml(v === null ? '—' : String(v));
  return `<table><thead><tr>${head.map((h) => `<th>${cell(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((v) => `<td>${cell(v)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/**
 * A self-contained page: the charts rendered to inline SVG with vega (`View.toSVG()`, through
 * `@deepspike/train`'s `renderSvg`), so it needs no script and no network to display.
 */
export async function htmlPage(title: string, intro: string, charts: readonly { title: string; spec: ChartSpec | null }[], tail: string): Promise<string> {
  const parts: string[] = [];
  for (const c of charts) if (c.spec) parts.push(`<section><h2>${escapeHtml(c.title)}</h2>${await renderSvg(c.spec)}</section>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:right}th{background:#f4f4f4}section{margin:1.5em 0}pre{background:#f7f7f7;padding:1em;overflow:auto}</style>
</head><body><h1>${escapeHtml(title)}</h1>${intro}${parts.join('\n')}${tail}</body></html>
`;
}
