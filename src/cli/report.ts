import { Command } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectReport } from '../report/collect.js';
import { renderHtml } from '../report/html.js';
import { formatCatalogRun } from '../check/format.js';
import { allAsExpected } from '../check/runCatalog.js';
import { formatModelRun } from '../litmus/modelRun.js';
import { formatTables } from '../bench/report.js';
import { formatSideBySide } from '../check/lkmm/sideBySide.js';
import { checkOutputDir } from './outputPath.js';

/** The file the report writes into its --out directory. */
const REPORT_FILE = 'index.html';

export function reportCommand(): Command {
  return new Command('report')
    .description(
      'Reproduce the thread: the checker, the litmus tests under LKMM, a quick benchmark, and an HTML report.',
    )
    .option('--out <dir>', 'where to write index.html (created if need be)', 'report')
    .option('--no-bench', 'skip the benchmark')
    .addHelpText('after', '\nExit code 1 if any verdict differs from the catalog.')
    .action(async (o: { out: string; bench: boolean }) => {
      checkOutputDir('--out', o.out, REPORT_FILE);
      const started = Date.now();
      const data = await collectReport({
        bench: o.bench,
        progress: (line) => process.stderr.write(`report: ${line}\n`),
      });
      console.log(formatCatalogRun(data.results));
      for (const k of data.kernel)
        console.log(
          k.differences.length === 0
            ? `${k.version} and ${k.port}: the same verdict and shortest counterexample in every scenario`
            : `${k.version} and ${k.port} differ: ${k.differences.join('; ')}`,
        );
      console.log('');
      console.log(formatSideBySide(data.results, data.lkmm));
      console.log('');
      for (const l of data.litmus) console.log(formatModelRun(l));
      if (data.bench) console.log(formatTables(data.bench));
      mkdirSync(o.out, { recursive: true });
      const file = join(o.out, REPORT_FILE);
      writeFileSync(file, await renderHtml(data));
      console.log(`\nReport: ${resolve(file)} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      process.exitCode = allAsExpected(data.results) ? 0 : 1;
    });
}
