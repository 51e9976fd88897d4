/**
 * Writes docs/audit.json and docs/audit.txt: the ordering audit (src/check/audit) of
 * frozen-bit and classic over the whole catalog, as `pageref audit --strategy … --json`
 * prints it. The report reads docs/audit.json (a full audit takes longer than npm start's
 * budget). Run: `npm run build && node dist/scripts/audit.js` (`--text-only`: audit.txt
 * again from audit.json, without running anything).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { CATALOG } from '../src/check/catalog.js';
import { audit } from '../src/check/audit/audit.js';
import { auditTables, formatAudit, type AuditTable } from '../src/check/audit/auditTable.js';
import { STRATEGIES } from '../src/refcount/strategies.js';

const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const made = 'made by: npm run build && node dist/scripts/audit.js';

/** docs/audit.txt from docs/audit.json (`--text-only`: after a change to the text alone). */
function writeText(data: { machine: string; audits: AuditTable[] }) {
  writeFileSync(
    `${DOCS}audit.txt`,
    `${data.machine}; ${made}\n\n${data.audits.map(formatAudit).join('\n\n')}\n`,
  );
}

if (process.argv.includes('--text-only')) {
  writeText(JSON.parse(readFileSync(`${DOCS}audit.json`, 'utf8')));
  process.exit(0);
}
const machine = `${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, Node ${process.version}`;
// frozen-bit as the v4 patch writes it, then (its second table) on top of the repair that
// audit finds (its put's cmpxchg acquire), so that kiryl and the others it repairs judge the
// other sites; then classic
const tables = (['frozen-bit', 'classic'] as const).flatMap((name) =>
  auditTables(
    audit(STRATEGIES[name], CATALOG, {
      maxSeconds: 20,
      onRun: (what) => process.stderr.write(`audit ${name}: ${what}\n`),
    }),
    `pageref audit --strategy ${name} --max-seconds 20`,
  ),
);
writeFileSync(
  `${DOCS}audit.json`,
  JSON.stringify({ machine, made, audits: tables }, null, 1) + '\n',
);
writeText({ machine, audits: tables });
