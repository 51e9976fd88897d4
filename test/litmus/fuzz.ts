/**
 * A fuzzer of litmus input: mutants of real litmus files (byte flips, deletions, duplicated
 * lines, swapped tokens), each read, validated, turned into traces and run under SC and
 * under every axiomatic model (LKMM and SC), with small limits. What may happen to a mutant: an answer whose every name exists,
 * a LitmusSyntaxError with a file:line:column inside the file, or a run stopped by its
 * limits. Anything else (another exception, a hang, an answer over a name the test does
 * not have) is a finding.
 */
import { readFileSync } from 'node:fs';
import { LimitReached } from '../../src/axiomatic/limits.js';
import { runLitmusModel } from '../../src/litmus/modelRun.js';
import { MODELS } from '../../src/axiomatic/models/index.js';
import type { LitmusTest, Prop } from '../../src/litmus/ast.js';
import { parseLitmus, LitmusSyntaxError } from '../../src/litmus/parse.js';
import { runLitmus } from '../../src/litmus/run.js';
import { PRIMITIVES } from '../../src/litmus/primitives.js';
import { programOf } from '../../src/litmus/traces.js';
import { onCpu } from '../helpers/cpuTime.js';

const NAMES = [...PRIMITIVES.keys()];

/** A small seeded PRNG (mulberry32), so that a finding replays from its seed. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// characters that matter to the grammar, more often than random bytes would hit them
const INTERESTING = '(*)/{};=,:&!~-[]"\\0123456789xyPr \n\t\uFEFF\u0000';

/** One mutation of `text`, and what it was. */
export function mutate(text: string, random: () => number): { text: string; what: string } {
  const pick = (n: number) => Math.floor(random() * n);
  const at = pick(text.length + 1);
  switch (pick(6)) {
    case 0: {
      const c = INTERESTING[pick(INTERESTING.length)]!;
      return {
        text: text.slice(0, at) + c + text.slice(at + 1),
        what: `byte ${at} := ${JSON.stringify(c)}`,
      };
    }
    case 1: {
      const n = 1 + pick(12);
      return { text: text.slice(0, at) + text.slice(at + n), what: `delete ${n} at ${at}` };
    }
    case 2: {
      const lines = text.split('\n');
      const i = pick(lines.length);
      const copies = 1 + pick(3);
      lines.splice(i, 0, ...Array<string>(copies).fill(lines[i]!));
      return { text: lines.join('\n'), what: `line ${i + 1} x${copies + 1}` };
    }
    case 3: {
      const tokens = text.split(/(\s+|[(){};,*&=])/);
      const i = pick(tokens.length);
      const j = pick(tokens.length);
      [tokens[i], tokens[j]] = [tokens[j]!, tokens[i]!];
      return { text: tokens.join(''), what: `swap tokens ${i} and ${j}` };
    }
    case 4: {
      // another kernel primitive in a call's place: other arities, shapes and events
      const calls = [...text.matchAll(/\b([a-zA-Z_]\w*)\(/g)].filter((m) => PRIMITIVES.has(m[1]!));
      if (calls.length === 0) return { text, what: 'no call to rename' };
      const call = calls[pick(calls.length)]!;
      const name = NAMES[pick(NAMES.length)]!;
      const i = call.index!;
      return {
        text: text.slice(0, i) + name + text.slice(i + call[1]!.length),
        what: `${call[1]} at ${i} := ${name}`,
      };
    }
    default: {
      const n = 1 + pick(20);
      const piece = text.slice(at, at + n);
      const to = pick(text.length + 1);
      return {
        text: text.slice(0, to) + piece + text.slice(to),
        what: `copy ${n} from ${at} to ${to}`,
      };
    }
  }
}

/** The places the condition and filter read that the program does not have. */
export function unknownNames(
  test: LitmusTest,
  registers: Set<string>,
  locations: Set<string>,
): string[] {
  const out: string[] = [];
  const walk = (p: Prop): void => {
    if (p.kind === 'atom') {
      for (const o of [p.left, p.right]) {
        if (o.kind === 'reg' && !registers.has(`${o.thread}:${o.name}`))
          out.push(`${o.thread}:${o.name}`);
        if ((o.kind === 'loc' || o.kind === 'addr') && !locations.has(o.name)) out.push(o.name);
      }
    } else if (p.kind === 'not') walk(p.prop);
    else if (p.kind !== 'const') {
      walk(p.left);
      walk(p.right);
    }
  };
  walk(test.condition);
  if (test.filter) walk(test.filter);
  return out;
}

export type FuzzOutcome =
  { kind: 'answered' | 'refused' | 'limited' } | { kind: 'finding'; what: string };

/** Runs one mutant through the whole front end and both models, with small limits. */
export function runMutant(text: string, file: string): FuzzOutcome {
  let test: LitmusTest;
  try {
    test = parseLitmus(text, file);
    const program = programOf(test, file, { maxTraces: 2000, maxValues: 64 });
    // the answer may only name what the program has
    const registers = new Set(
      program.traces.flatMap((ts, i) =>
        ts.flatMap((t) => Object.keys(t.registers).map((r) => `${i}:${r}`)),
      ),
    );
    const unknown = unknownNames(test, registers, new Set(program.init.keys()));
    if (unknown.length > 0)
      return { kind: 'finding', what: `answered over unknown ${unknown.join(', ')}` };
    // Count limits only (the time limits are their 60 s defaults, a safety net): whether a
    // mutant is answered or limited must not depend on how busy the machine is.
    let limited = false;
    try {
      const sc = runLitmus(test, { maxStates: 20_000 }, file);
      limited ||= sc.kind === 'incomplete';
    } catch (e) {
      // the SC runner refuses locks, pointers and grace periods, with a location
      if (!(e instanceof LitmusSyntaxError)) throw e;
    }
    for (const model of MODELS) {
      const r = runLitmusModel(test, model, { maxExecutions: 20_000 }, file);
      limited ||= r.kind === 'incomplete';
    }
    return { kind: limited ? 'limited' : 'answered' };
  } catch (e) {
    // programOf's trace and value caps are limits of the run (max-traces, max-values)
    if (e instanceof LimitReached) return { kind: 'limited' };
    if (!(e instanceof LitmusSyntaxError)) {
      return {
        kind: 'finding',
        what: `${(e as Error).name}: ${(e as Error).message}`.slice(0, 300),
      };
    }
    const lines = text.split('\n').length;
    if (e.file !== file || e.line < 1 || e.line > lines + 1 || e.column < 1)
      return { kind: 'finding', what: `error outside the file: ${e.message}` };
    return { kind: 'refused' };
  }
}

/** `count` mutants of `files`, from `seed`; the findings, and how the others ended. */
export function fuzz(files: string[], count: number, seed: number, maxMs = 5000) {
  const random = prng(seed);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  const tally = { answered: 0, refused: 0, limited: 0 };
  const findings: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = Math.floor(random() * files.length);
    let { text, what } = mutate(texts[k]!, random);
    // a second mutation now and then: deeper into the grammar
    if (random() < 0.3) {
      const more = mutate(text, random);
      text = more.text;
      what += `; ${more.what}`;
    }
    const { result: out, ms } = onCpu(() => runMutant(text, 'mutant.litmus'));
    const where = `mutant ${i} of ${files[k]!.split('/').pop()} (seed ${seed}: ${what})`;
    if (out.kind === 'finding') findings.push(`${where}: ${out.what}`);
    else tally[out.kind]++;
    if (ms > maxMs) findings.push(`${where}: took ${ms.toFixed(0)} ms of CPU`);
  }
  return { tally, findings };
}
