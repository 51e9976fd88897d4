/**
 * The report's ordering-audit section: the tables of docs/audit.json (frozen-bit and
 * classic, written by scripts/audit.ts: a full audit takes longer than npm start's budget),
 * each counterexample drawn as SVG (src/axiomatic/draw/svg.ts).
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { drawSvg } from '../axiomatic/draw/svg.js';
import {
  auditTitle,
  repairNotes,
  trialText,
  unjudgedAt,
  UNJUDGED_NOTE,
  type AuditTable,
} from '../check/audit/auditTable.js';
import { escapeHtml } from '../text/html.js';

/** The committed audit output the section shows. */
export const AUDIT_JSON = fileURLToPath(new URL('../../../docs/audit.json', import.meta.url));

/** The report's .diagram box, inline: the page's other tests count .diagram and .cx. */
const BOX = 'overflow-x: auto; border: 1px solid #eee; padding: .5em; margin-bottom: 2em';

/** The section's HTML, or a paragraph saying how to make docs/audit.json. */
export function auditSection(file = AUDIT_JSON): string {
  const head = '<h2>Ordering audit under LKMM: which orderings the code needs</h2>';
  if (!existsSync(file))
    return `${head}<p>No <code>docs/audit.json</code>: run <code>node dist/scripts/audit.js</code>.</p>`;
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    machine: string;
    made: string;
    audits: AuditTable[];
  };
  const parts = [
    head,
    `<p>Each call site of the strategy's code weakened alone, one step at a time (fully ordered → acquire or release → relaxed; acquire and release → once), in the recording cells, and the catalog rerun under LKMM. <strong>No dependency is assumed</strong>: the code is a black box; only the free path is recorded as control dependent on the call that decided it. A scenario judges a weakening only if it is safe as audited (the code, and any ordering assumed in place of the code's). From <code>docs/audit.json</code> (${escapeHtml(data.made)}; ${escapeHtml(data.machine)}).</p>`,
  ];
  for (const [n, t] of data.audits.entries()) {
    const drawings: string[] = [];
    const rows = t.sites.map((s) => {
      const tried = s.trials.map((tr) => {
        const d = tr.outcome === 'breaks' ? tr.run?.drawing : undefined;
        if (!d) return escapeHtml(trialText(tr));
        // by the table's place: a strategy has two tables when one is on top of a repair
        const id = `audit-${n + 1}-${drawings.length + 1}`;
        drawings.push(
          `<section class="audit-cx" id="${id}"><h4>[${drawings.length + 1}] ${escapeHtml(`${s.site} ${s.kernelCall} as ${tr.order}: ${tr.run!.scenario}`)}</h4><p class="message">${escapeHtml(tr.run!.message ?? '')}</p><div class="audit-diagram" style="${BOX}">${drawSvg(d)}</div></section>`,
        );
        return `<a href="#${id}">${escapeHtml(trialText(tr, drawings.length))}</a>`;
      });
      return `<tr><td><code>${escapeHtml(s.site)}</code></td><td>${escapeHtml(s.fn)}</td><td><code>${escapeHtml(s.kernelCall)}</code></td><td>${escapeHtml(s.order)}</td><td><strong>${escapeHtml(s.weakest.join(', '))}</strong>${unjudgedAt(t, s).length > 0 && s.weakest[0] !== s.order ? ' *' : ''}</td><td>${tried.join('<br>') || '(nothing weaker)'}</td></tr>`;
    });
    const notJudged = t.baseline.filter((b) => b.verdict !== 'safe');
    parts.push(
      `<h3>${escapeHtml(auditTitle(t))} <small>${t.seconds} s: <code>${escapeHtml(t.command)}</code></small></h3>`,
      `<p>Judged by: ${escapeHtml(t.judged.join(', ') || 'none')}.${notJudged.length ? ` Not judged: ${escapeHtml(notJudged.map((b) => `${b.scenario} (${b.verdict} as audited)`).join(', '))}.` : ''}${repairNotes(
        t,
      )
        .map((n) => ` ${escapeHtml(n[0]!.toUpperCase() + n.slice(1))}.`)
        .join('')}</p>`,
      `<table class="audit"><thead><tr><th>site</th><th>function</th><th>kernel call</th><th>as written</th><th>weakest safe</th><th>weaker orderings</th></tr></thead><tbody>${rows.join('\n')}</tbody></table>`,
      ...(rows.some((r) => r.includes('</strong> *'))
        ? [`<p>${escapeHtml(UNJUDGED_NOTE)}</p>`]
        : []),
    );
    if (t.repairs.length > 0)
      parts.push(
        `<p>Repairs (a scenario that violates as written, each site it reaches strengthened alone):</p><ul>${t.repairs.map((r) => `<li>${escapeHtml(`${r.scenario}: ${r.site} ${r.kernelCall} as ${r.order}: ${r.verdict}`)}</li>`).join('')}</ul>`,
      );
    parts.push(...drawings);
  }
  return parts.join('\n');
}
