/**
 * An execution drawing (explain.ts) as SVG, for the report: one column per thread, events as
 * boxes down each column in program order, edges as labelled arrows (rf red, co blue, fr
 * orange, ctrl grey dashes, a race purple both ways, a forbidding cycle thick green), the
 * verdict under them. Hand-written: a few boxes and arrows need no layout library.
 *
 * @module
 */

import { escapeHtml } from '../../text/html.js';
import type { Drawing, EdgeKind } from './explain.js';

const COLOR: Record<EdgeKind, string> = {
  rf: '#c0392b',
  co: '#2471a3',
  fr: '#d68910',
  ctrl: '#7f8c8d',
  race: '#8e44ad',
  cycle: '#1e8449',
};

const COL = 360;
const ROW = 56;
const BOX_W = 200;
const BOX_H = 30;
const TOP = 56;
const LEFT = 70;

/** The drawing as one self-contained `<svg>` element. */
export function drawSvg(d: Drawing): string {
  const rows = Math.max(1, ...d.events.map((e) => e.index + 1));
  const verdictLines = d.verdict ? d.verdict.split('\n') : [];
  const width = Math.max(
    LEFT * 2 + Math.max(1, d.threads.length) * COL,
    // monospace 12px: about 7.3px a character
    ...[d.title, ...verdictLines].map((l) => 40 + Math.ceil(l.length * 7.3)),
  );
  const height = TOP + rows * ROW + 24 + verdictLines.length * 18;
  const at = new Map(
    d.events.map((e) => [e.id, { x: LEFT + e.thread * COL, y: TOP + e.index * ROW }]),
  );
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    `<title>${escapeHtml(d.title)}</title>`,
    '<defs>',
    ...Object.entries(COLOR).map(
      ([k, c]) =>
        `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="${c}"/></marker>`,
    ),
    '</defs>',
    `<text x="${LEFT}" y="18" font-weight="bold">${escapeHtml(d.title)}</text>`,
  ];
  d.threads.forEach((name, t) =>
    out.push(
      `<text x="${LEFT + t * COL}" y="${TOP - 12}" font-weight="bold">${escapeHtml(name)}</text>`,
    ),
  );
  for (const e of d.events) {
    const p = at.get(e.id)!;
    out.push(
      `<g class="event" id="event-${e.letter}"><rect x="${p.x}" y="${p.y}" width="${BOX_W}" height="${BOX_H}" rx="4" fill="#fdfefe" stroke="#566573"/>`,
      `<text x="${p.x + 6}" y="${p.y + 13}">${escapeHtml(`${e.letter}: ${e.access}`)}</text>`,
      `<text x="${p.x + 6}" y="${p.y + 26}" fill="#566573">${escapeHtml(`${e.tags}${e.fromInit ? ` (${e.fromInit})` : ''}`)}</text></g>`,
    );
  }
  for (const [k, e] of d.edges.entries()) {
    const a = at.get(e.from)!;
    const b = at.get(e.to)!;
    const color = COLOR[e.kind];
    const same = a.x === b.x;
    const bend = ((k % 5) - 2) * 12;
    // across columns: from the facing sides, bent by a few pixels per edge so that labels part;
    // within one column: a bow out into the margin
    // (the last of several columns bows out to its right)
    const right = same && d.threads.length > 1 && a.x === LEFT + (d.threads.length - 1) * COL;
    const x1 = same ? a.x + (right ? BOX_W : 0) : a.x < b.x ? a.x + BOX_W : a.x;
    const x2 = same ? b.x + (right ? BOX_W : 0) : a.x < b.x ? b.x : b.x + BOX_W;
    const y1 = a.y + BOX_H / 2 + ((k % 3) - 1) * 5;
    const y2 = b.y + BOX_H / 2 + ((k % 3) - 1) * 5;
    const cx = same ? x1 + (right ? 1 : -1) * (40 + (k % 3) * 10) : (x1 + x2) / 2;
    const cy = same ? (y1 + y2) / 2 : (y1 + y2) / 2 + bend;
    // the label sits on the curve's midpoint
    const lx = (x1 + 2 * cx + x2) / 4;
    const ly = (y1 + 2 * cy + y2) / 4;
    const dash =
      e.kind === 'ctrl'
        ? ' stroke-dasharray="4 3"'
        : e.kind === 'race'
          ? ' stroke-dasharray="6 2"'
          : '';
    const ends =
      e.kind === 'race'
        ? ` marker-start="url(#arrow-race)" marker-end="url(#arrow-race)"`
        : ` marker-end="url(#arrow-${e.kind})"`;
    out.push(
      `<g class="edge ${e.kind}"><path d="M${x1},${y1} Q${cx},${cy} ${x2},${y2}" fill="none" stroke="${color}" stroke-width="${e.kind === 'cycle' ? 3 : 1.5}"${dash}${ends}/>`,
      `<text x="${lx}" y="${ly - 3}" fill="${color}" text-anchor="middle" stroke="#fff" stroke-width="3" paint-order="stroke">${escapeHtml(e.label)}</text></g>`,
    );
  }
  verdictLines.forEach((line, i) =>
    out.push(`<text x="${LEFT}" y="${TOP + rows * ROW + 12 + i * 18}">${escapeHtml(line)}</text>`),
  );
  out.push('</svg>');
  return out.join('\n');
}
