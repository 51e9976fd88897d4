/**
 * src/litmus/primitives.ts against linux-kernel.def itself (test/fixtures/litmus/model/): the
 * same primitives, no more, no fewer, each with the def's arguments (`*X` in the body makes X
 * a pointer argument, a bare X under __load/__store a dereference) and the def's events.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PRIMITIVES, type ArgKind, type Semantics } from '../../src/litmus/primitives.js';
import { primitiveOf } from '../../src/litmus/herdForms.js';

const DEF = fileURLToPath(
  new URL('../../../test/fixtures/litmus/model/linux-kernel.def', import.meta.url),
);

interface Meaning {
  args: ArgKind[];
  sem: Semantics;
}

/** The def's macros: name → [parameters, body]. */
function macros(): Map<string, [string[], string]> {
  const out = new Map<string, [string[], string]>();
  for (const line of readFileSync(DEF, 'utf8').split('\n')) {
    const m = /^(\w+)\(([^)]*)\)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const params = m[2]!
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p);
    out.set(m[1]!, [params, m[3]!.trim()]);
  }
  return out;
}

/** What a def body means, with the kinds its parameters are used as. */
function meaning(params: string[], body: string, defs: Map<string, [string[], string]>): Meaning {
  const kinds = new Map<string, ArgKind>(params.map((p) => [p, 'val']));
  // a location argument: `*X` is a pointer; a bare X is a dereference under __load/__store
  const loc = (arg: string, lvalue: boolean) => {
    const star = arg.startsWith('*');
    kinds.set(arg.replace('*', ''), star || !lvalue ? 'ptr' : 'lval');
  };
  const stmts = body
    .replace(/^\{|\}$/g, '')
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s);
  let sem: Semantics | undefined;
  for (const s of stmts) {
    const m = /^(\w+)(?:\{([^}]*)\})?(?:\(([^)]*)\))?\s*(==\s*0|<\s*0)?$/.exec(s);
    assert.ok(m, `def body not understood: ${s}`);
    const [, op, annot, argText, test] = m;
    const args = (argText ?? '').split(',').map((a) => a.trim());
    const testOf = test
      ? { test: test.startsWith('==') ? ('zero' as const) : ('negative' as const) }
      : {};
    const operand = (v: string) => (/^\d+$/.test(v) ? { constant: Number(v) } : {});
    switch (op) {
      case '__load':
        loc(args[0]!, true);
        sem = annot === 'srcu-lock' ? { op: 'srcu-lock' } : { op: 'load', annot: annot as never };
        break;
      case '__store':
        loc(args[0]!, true);
        sem =
          annot === 'srcu-unlock' ? { op: 'srcu-unlock' } : { op: 'store', annot: annot as never };
        break;
      case '__fence':
        if (sem?.op === 'store') sem = { ...sem, thenMb: true };
        else sem = { op: 'fence', tag: annot! };
        break;
      case '__xchg':
      case '__cmpxchg':
      case '__atomic_add_unless':
        loc(args[0]!, false);
        sem = { op: op.slice(2).replace('atomic_', '') as 'xchg', annot: annot as never };
        break;
      case '__srcu':
        loc(args[0]!, false);
        sem = { op: 'sync-srcu' };
        break;
      case '__lock':
      case '__unlock':
      case '__trylock':
      case '__islocked':
        loc(args[0]!, false);
        sem = { op: op.slice(2) as 'lock' };
        break;
      case '__atomic_op':
      case '__atomic_op_return':
      case '__atomic_fetch_op':
        loc(args[0]!, false);
        sem = {
          op: 'atomic',
          annot: annot as never,
          apply: args[1] as never,
          returns: op === '__atomic_op' ? 'none' : op === '__atomic_op_return' ? 'new' : 'old',
          ...testOf,
          ...operand(args[2]!),
        };
        break;
      default: {
        // another macro of the def, e.g. atomic_read(X) READ_ONCE(*X)
        const callee = defs.get(op!);
        assert.ok(callee, `unknown macro ${op}`);
        const inner = meaning(callee[0], callee[1], defs);
        args.forEach((a, k) => {
          if (inner.args[k] === 'lval' && a.startsWith('*')) kinds.set(a.slice(1), 'ptr');
          else if (inner.args[k] !== 'val') kinds.set(a, inner.args[k]!);
        });
        sem = inner.sem;
      }
    }
  }
  return { args: params.map((p) => kinds.get(p)!), sem: sem! };
}

describe('primitives.ts is linux-kernel.def', () => {
  const defs = macros();
  it('the same names', () => {
    assert.ok(defs.size > 100, String(defs.size));
    assert.deepEqual([...PRIMITIVES.keys()].sort(), [...defs.keys()].sort());
  });
  it('a macro whose body is one internal form means what that form means written directly', () => {
    let checked = 0;
    for (const [name, [, body]] of defs) {
      const m = /^\{? ?(__\w+)(\{[\w-]+\})?\(([^()]*)\)/.exec(body);
      if (!m) continue;
      const args = m[3]!.split(',').map((a) => a.trim());
      const op = m[1]!.startsWith('__atomic_') && m[1] !== '__atomic_add_unless' ? args[1] : '';
      const form = `${m[1]}${m[2] ?? ''}${op ? `(…,${op},…)` : ''}`;
      const prim = primitiveOf(form);
      assert.ok(prim, `${name}: ${form}`);
      const sem = PRIMITIVES.get(name)!.sem;
      // the macro may add a test (== 0, < 0), a fixed operand (inc, dec) or a fence after
      const core: Record<string, unknown> = { ...sem };
      for (const added of ['test', 'constant', 'thenMb']) delete core[added];
      assert.deepEqual(prim.sem, core, `${name}: ${form}`);
      checked++;
    }
    assert.ok(checked > 80, String(checked));
  });
  for (const [name, [params, body]] of defs) {
    it(`${name}(${params.join(',')}) ${body}`, () => {
      const want = meaning(params, body, defs);
      const prim = PRIMITIVES.get(name)!;
      assert.deepEqual({ args: prim.args, sem: prim.sem }, want);
    });
  }
});
