/**
 * The report's barrier-guarantee section: the per-function table that `pageref barriers
 * --out docs/barriers` wrote (barriers.json), and its litmus files with pageref's answer
 * and herd7's where stored (`X.litmus.herd7`). It reads what was written, since the whole
 * run takes minutes (docs/barriers.md).
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { escapeHtml } from '../text/html.js';

/** Where `pageref barriers --out` wrote the shipped table and files. */
export const BARRIERS_DIR = fileURLToPath(new URL('../../../docs/barriers/', import.meta.url));

interface BarriersJson {
  base: string;
  strategy: string;
  functions: {
    function: string;
    clients: number;
    verdict: string;
    weaker: string[];
    stronger: string[];
    scDiffers: number;
  }[];
  litmus: { name: string; strategy: string; answer: string; expected: string }[];
}

/** The section's HTML, or a line saying the table was not written. */
export function barriersSection(dir = BARRIERS_DIR): string {
  const file = `${dir}barriers.json`;
  const head = '<h2>Barrier guarantees under LKMM, per page_ref function</h2>';
  if (!existsSync(file))
    return `${head}<p>Not written: run <code>pageref barriers --out docs/barriers</code>.</p>`;
  const r = JSON.parse(readFileSync(file, 'utf8')) as BarriersJson;
  const rows = r.functions.map(
    (f) =>
      `<tr><th>${escapeHtml(f.function)}</th><td>${f.clients}</td><td>${escapeHtml(f.verdict)}</td><td>${f.weaker.length}</td><td>${f.stronger.length}</td><td>${f.scDiffers}</td><td>${escapeHtml(f.weaker[0] ?? f.stronger[0] ?? '')}</td></tr>`,
  );
  const files = r.litmus.map((l) => {
    const herd = `${dir}${l.name}.litmus.herd7`;
    const obs = existsSync(herd)
      ? (/^Observation \S+ (\w+)/m.exec(readFileSync(herd, 'utf8'))?.[1] ?? '?')
      : 'not run';
    return `<tr><td><code>${escapeHtml(l.name)}.litmus</code></td><td>${escapeHtml(l.answer)}</td><td>${escapeHtml(obs)}</td><td>${escapeHtml(l.expected)}</td></tr>`;
  });
  return `${head}
<p>${escapeHtml(r.strategy)} against ${escapeHtml(r.base)}: each function between other accesses in MP, SB, LB, R, S, 2+2W and WRC clients (docs/barriers.md). A difference counts only where SC forbids the outcome with the same counter results.</p>
<table id="barriers"><thead><tr><th>function</th><th>clients</th><th>verdict</th><th>weaker</th><th>stronger</th><th>SC differs</th><th>first distinguishing client</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
<table id="barrier-litmus"><thead><tr><th>litmus file (docs/barriers)</th><th>pageref</th><th>herd7</th><th>expected</th></tr></thead>
<tbody>${files.join('\n')}</tbody></table>`;
}
