/**
 * A scenario's pages as LKMM memory: four cells per page (counter, type, free flag,
 * contents), and the initial state the scenario's setup leaves in them, run on real memory
 * (README: the page's lifetime as memory).
 */

import { AtomicCells } from '../../cells/atomicCells.js';
import { PageRefs } from '../../refcount/pageRefs.js';
import type { Strategy } from '../../refcount/strategy.js';
import type { Scenario, Setup } from '../scenario.js';

/** The value a destructor writes over the page's contents: a read of it is a use after free. */
export const POISON = -559038737; // 0xdeadbeef

/** Four cells per page: counter (cell p), type, free flag, contents, and their names. */
export function pageLayout(pages: number) {
  const kinds = ['', 'type', 'free', 'data'];
  return {
    cells: 4 * pages,
    typeCell: (p: number) => pages + p,
    freeCell: (p: number) => 2 * pages + p,
    dataCell: (p: number) => 3 * pages + p,
    name: (cell: number) => {
      const kind = kinds[Math.floor(cell / pages)];
      if (kind === undefined || cell < 0)
        throw new Error(`recording cells: cell ${cell} out of range`);
      return kind ? `${kind}[p${cell % pages}]` : `p${cell % pages}`;
    },
  };
}
export type PageLayout = ReturnType<typeof pageLayout>;

/** The initial state the scenario's setup leaves: memory, holders, freezers. */
export interface Start {
  memory: Int32Array;
  /** The type of each page's incarnation. */
  types: number[];
  /** The thread that has each page frozen at the start, or -1. */
  frozenBy: number[];
  /** Whether each page sits free in the allocator at the start (its incarnation destroyed). */
  free: boolean[];
  /** Per page, the references each thread holds at the start. */
  own: number[][];
}

/** The references held on page `p` at the start, all threads together. */
export function holdersAtStart(st: Start, p: number): number {
  return st.own[p]!.reduce((a, b) => a + b, 0);
}

/** Runs the scenario's setup on real memory: what it leaves is the initial state. */
export function runSetup(s: Scenario, strategy: Strategy, l: PageLayout): Start {
  const memory = new Int32Array(l.cells);
  const refs = PageRefs.over(new AtomicCells(memory), { pages: s.pages, strategy, debug: false });
  const st: Start = {
    memory,
    types: Array<number>(s.pages).fill(0),
    frozenBy: Array<number>(s.pages).fill(-1),
    free: Array<boolean>(s.pages).fill(false),
    own: Array.from({ length: s.pages }, () => []),
  };
  const setup: Setup = {
    refs,
    live(p, type, h) {
      memory[l.typeCell(p)] = type;
      memory[l.dataCell(p)] = type; // the allocator initialised the contents
      st.types[p] = type;
      st.own[p] = [...h];
    },
    free(p, type) {
      // as the SC setup: frozen, in the allocator, its contents destroyed
      refs.setFrozen(p);
      memory[l.typeCell(p)] = type;
      memory[l.dataCell(p)] = POISON;
      memory[l.freeCell(p)] = 1;
      st.types[p] = type;
      st.free[p] = true;
    },
    frozenBy(p, t) {
      st.frozenBy[p] = t;
    },
    raw(p, value) {
      memory[p] = value;
    },
  };
  s.setup(setup);
  return st;
}
