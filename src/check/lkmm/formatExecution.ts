/** A violating execution in text, as the CLI prints it under a violation. */

import type { Value } from '../../axiomatic/events.js';
import { coOrder, type Execution } from '../../axiomatic/execution.js';

/**
 * An execution in text: each thread's events in program order (what each read reads from),
 * then the coherence order of each location that more than its initial write reaches.
 */
export function formatExecution(x: Execution, names: readonly string[]): string {
  const label = (id: number) => {
    const e = x.events[id]!;
    return e.thread < 0 ? `init` : `T${e.thread}.${e.index}`;
  };
  const rfOf = new Map<number, number>();
  for (const [w, r] of x.rf.pairs()) rfOf.set(r, w);
  const ctrlOf = new Map<number, number[]>();
  for (const [r, e] of x.ctrl.pairs()) ctrlOf.set(e, [...(ctrlOf.get(e) ?? []), r]);
  const lines: string[] = [];
  names.forEach((name, t) => {
    lines.push(`T${t} ${name}:`);
    for (const e of x.events) {
      if (e.thread !== t) continue;
      const tags = [...e.tags].join(' ') || 'plain';
      const what = `${e.kind} ${e.loc ?? ''}${e.value === undefined ? '' : ` = ${show(e.value)}`}`;
      const rf = e.kind === 'R' && rfOf.has(e.id) ? `  rf from ${label(rfOf.get(e.id)!)}` : '';
      const ctrl = ctrlOf.has(e.id) ? `  ctrl on ${ctrlOf.get(e.id)!.map(label).join(',')}` : '';
      lines.push(
        `  ${label(e.id).padEnd(6)} ${what.padEnd(24)} ${tags.padEnd(9)}${rf}${ctrl}`.trimEnd(),
      );
    }
  });
  for (const loc of x.locations) {
    const writes = coOrder(x, loc);
    if (writes.length < 2) continue;
    lines.push(
      `co ${loc}: ${writes.map((w) => `${label(w.id)} (${show(w.value!)})`).join(' -> ')}`,
    );
  }
  return lines.join('\n');
}

const show = (v: Value) =>
  typeof v === 'number' && (v < 0 || v > 0xffff) ? `0x${(v >>> 0).toString(16)}` : String(v);
