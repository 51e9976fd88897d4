import type { LitmusTest } from './ast.js';
import type { LitmusResult } from './run.js';

/** herd7's output block for one test, with a "(vacuous …)" remark where it applies. */
export function formatLitmus(test: LitmusTest, r: LitmusResult, ms: number): string {
  const kind = test.quantifier === 'forall' ? 'Required' : 'Allowed';
  if (r.kind === 'incomplete') {
    return `Test ${test.name} ${kind}\nIncomplete: exploration stopped at ${r.limit} (${r.explored} states); no verdict\n`;
  }
  const lines = [`Test ${test.name} ${kind}`, `States ${r.states.length}`];
  for (const s of r.states) {
    lines.push(
      Object.entries(s.values)
        .map(([k, v]) => `${k}=${v};`)
        .join(' '),
    );
  }
  lines.push(r.ok ? 'Ok' : 'No');
  lines.push('Witnesses', `Positive: ${r.positive} Negative: ${r.negative}`);
  lines.push(`Condition ${test.conditionText}`);
  const vacuous = r.vacuous
    ? '   (vacuous: no combination of the values these locations take can satisfy the condition)'
    : '';
  lines.push(`Observation ${test.name} ${r.observation} ${r.positive} ${r.negative}${vacuous}`);
  lines.push(`Time ${test.name} ${(ms / 1000).toFixed(2)}`);
  return lines.join('\n') + '\n';
}
