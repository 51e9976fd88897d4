import type { PageRefs } from '../refcount/pageRefs.js';
import type { ThreadContext } from '../explore/explore.js';
import { ghost, typeName, type World } from './world.js';

/**
 * The operations a scenario's threads perform: each is the library's own call (through a
 * PageRefs over model cells, debug checks on) paired with its ghost bookkeeping. A ghost
 * update happens at the access it belongs to: a put drops its reference at the access that
 * changes the counter (its sub), not before, so between the two the world never claims
 * fewer references than the counter holds.
 */

/**
 * The memory of a scenario, three cells per page, the one place this layout is written:
 * page p's counter (cell p, as the strategies expect), its type tag, and a flag set while
 * it sits in the allocator's free list.
 */
export interface PageCells {
  pages: number;
  /** Cells in all. */
  cells: number;
  typeCell(p: number): number;
  freeCell(p: number): number;
  /** The name of a cell in counterexamples: `p0`, `type[p0]`, `free[p0]`. */
  name(cell: number): string;
}

export const CELLS_PER_PAGE = 3;

const refs = (n: number): string => (n === 1 ? 'a ref' : `${n} refs`);

export const pageCells = (pages: number): PageCells => ({
  pages,
  cells: CELLS_PER_PAGE * pages,
  typeCell: (p) => pages + p,
  freeCell: (p) => 2 * pages + p,
  name: (cell) => {
    const kind = ['', 'type', 'free'][Math.floor(cell / pages)];
    if (kind === undefined || cell < 0) return `cell ${cell}`;
    return kind ? `${kind}[p${cell % pages}]` : `p${cell % pages}`;
  },
});

/** Where a thread that wins a free takes the destructor's type from. */
export type DestructorFrom = { from: 'page' } | { from: 'belief'; type: number };

export class PageOps {
  constructor(
    private readonly ctx: ThreadContext<World>,
    /** The library under test, over the model cells. */
    readonly refs: PageRefs,
    private readonly layout: PageCells,
    private readonly threads: number,
  ) {}

  private get t(): number {
    return this.ctx.thread;
  }

  private label(what: string): void {
    this.ctx.cells.label = what;
  }

  /** One page operation: replay skips it once done (see ModelCells.operation). */
  private op(fn: () => boolean | void): boolean {
    return this.ctx.operation(() => Number(fn() ?? 0)) === 1;
  }

  /** A speculative get (folio_try_get); on success the thread holds a reference. */
  get(p: number): boolean {
    return this.op(() => {
      this.label(`get p${p}`);
      const ok = this.refs.tryGet(p);
      if (ok) this.ctx.ghost(`got p${p}`, (w) => ghost.got(w, this.t, p, 1));
      return ok;
    });
  }

  /**
   * A speculative pin of `nr` references at once (page_ref_add_unless_frozen, as a
   * large folio's mapping takes one per subpage); on success the thread holds `nr`.
   */
  pin(p: number, nr: number): boolean {
    return this.op(() => {
      this.label(`pin p${p} ×${nr}`);
      const ok = this.refs.tryAdd(p, nr);
      if (ok) this.ctx.ghost(`pinned p${p} ×${nr}`, (w) => ghost.got(w, this.t, p, nr));
      return ok;
    });
  }

  /** Takes one more reference to a page the thread holds (page_ref_inc). */
  inc(p: number): boolean {
    return this.op(() => {
      this.label(`inc p${p}`);
      this.atWrite(p, `takes a ref to p${p}`, (w) => ghost.added(w, this.t, p, 1));
      this.refs.inc(p);
    });
  }

  /** Takes `nr` more references to a page the thread holds (page_ref_add). */
  add(p: number, nr: number): boolean {
    return this.op(() => {
      this.label(`add p${p} ${nr}`);
      this.atWrite(p, `takes ${refs(nr)} to p${p}`, (w) => ghost.added(w, this.t, p, nr));
      this.refs.add(p, nr);
    });
  }

  /**
   * Sets the count of a page the thread alone holds (set_page_count): it then holds `nr`
   * references. How a scenario reaches counts no sequence of gets reaches quickly.
   */
  set(p: number, nr: number): boolean {
    return this.op(() => {
      this.label(`set p${p} ${nr}`);
      this.atWrite(p, `holds ${refs(nr)} to p${p}`, (w) => ghost.setCount(w, this.t, p, nr));
      this.refs.set(p, nr);
    });
  }

  /** Drops a reference that is not the last (page_ref_dec). */
  dec(p: number): boolean {
    return this.op(() => {
      this.label(`dec p${p}`);
      this.atWrite(p, `drops a ref to p${p}`, (w) => ghost.dropping(w, this.t, p, 1));
      this.refs.dec(p);
    });
  }

  /** Drops `nr` references, not the last (page_ref_sub). */
  sub(p: number, nr: number): boolean {
    return this.op(() => {
      this.label(`sub p${p} ${nr}`);
      this.atWrite(p, `drops ${refs(nr)} to p${p}`, (w) => ghost.dropping(w, this.t, p, nr));
      this.refs.sub(p, nr);
    });
  }

  /**
   * page_ref_inc_return / page_ref_dec_return / folio_ref_sub_return by `delta` (+1, -1,
   * -nr) on a page the thread holds: the result must be the new count, as the holders say.
   */
  changeReturn(p: number, delta: number): number {
    const what = delta === 1 ? 'incReturn' : delta === -1 ? 'decReturn' : 'subReturn';
    return this.ctx.operation(() => {
      this.label(`${what} p${p}${delta < -1 ? ` ${-delta}` : ''}`);
      const note = delta > 0 ? `takes a ref to p${p}` : `drops ${refs(-delta)} to p${p}`;
      this.atWrite(p, note, (w) =>
        delta > 0 ? ghost.added(w, this.t, p, delta) : ghost.dropping(w, this.t, p, -delta),
      );
      const value =
        delta === 1
          ? this.refs.incReturn(p)
          : delta === -1
            ? this.refs.decReturn(p)
            : this.refs.subReturn(p, -delta);
      this.ctx.ghost(`${what} = ${value}`, (w) => ghost.counted(w, this.t, p, what, value));
      return value;
    });
  }

  /** page_ref_count, by a thread that may hold no reference: the count, 0 while frozen. */
  count(p: number): number {
    return this.ctx.operation(() => {
      this.label(`count p${p}`);
      const value = this.refs.count(p);
      this.ctx.ghost(`count = ${value}`, (w) => ghost.counted(w, this.t, p, 'count', value));
      return value;
    });
  }

  /** Records a ghost update at the access that changes page p's counter. */
  private atWrite(p: number, note: string, update: (w: World) => void): void {
    this.ctx.ghostAtWrite(p, note, update);
  }

  /**
   * folio_put: drops a reference; the thread whose decAndTest wins frees the page, running
   * the destructor of the type it takes from `dtor`, and hands the page to the allocator.
   * @returns true if this thread freed the page.
   */
  put(p: number, dtor: DestructorFrom = { from: 'page' }): boolean {
    return this.op(() => {
      this.label(`put p${p}`);
      this.atWrite(p, `drops its ref to p${p}`, (w) => ghost.dropping(w, this.t, p, 1));
      if (!this.refs.decAndTest(p)) return false;
      this.destroy(p, dtor);
      return true;
    });
  }

  /**
   * Drops `nr` references at once (page_ref_sub_and_test, a large folio's unpin); the
   * thread that wins frees the page, as put does. @returns true if this thread freed it.
   */
  unpin(p: number, nr: number): boolean {
    return this.op(() => {
      this.label(`unpin p${p} ×${nr}`);
      this.atWrite(p, `drops ${refs(nr)} to p${p}`, (w) => ghost.dropping(w, this.t, p, nr));
      if (!this.refs.subAndTest(p, nr)) return false;
      this.destroy(p, { from: 'page' });
      return true;
    });
  }

  /** The free path after winning the page: destructor, then back to the allocator. */
  destroy(p: number, dtor: DestructorFrom): void {
    this.label(`free p${p}`);
    const type = dtor.from === 'page' ? this.ctx.cells.load(this.layout.typeCell(p)) : dtor.type;
    this.ctx.ghost(`destructor ${typeName(type)} on p${p}`, (w) =>
      ghost.destroyed(w, this.t, p, type),
    );
    this.ctx.cells.store(this.layout.freeCell(p), 1); // publish: the allocator may hand it out
  }

  /** Takes page p from the allocator if it is free there, as `type`, with one reference. */
  alloc(p: number, type: number): boolean {
    return this.op(() => {
      this.label(`alloc p${p}`);
      if (this.ctx.cells.cas(this.layout.freeCell(p), 1, 0) !== 1) return false;
      this.ctx.cells.store(this.layout.typeCell(p), type);
      this.refs.init(p); // publish: live, with our one reference
      this.ctx.ghost(`allocated p${p} as ${typeName(type)}`, (w) =>
        ghost.allocated(w, this.t, p, type, this.threads),
      );
      return true;
    });
  }

  /** page_ref_freeze at `count`. */
  freeze(p: number, count: number): boolean {
    return this.op(() => {
      this.label(`freeze p${p} at ${count}`);
      const ok = this.refs.freeze(p, count);
      if (ok) this.ctx.ghost(`froze p${p}`, (w) => ghost.froze(w, this.t, p));
      return ok;
    });
  }

  /** page_ref_unfreeze to `count`. */
  unfreeze(p: number, count: number): boolean {
    return this.op(() => {
      this.label(`unfreeze p${p} to ${count}`);
      this.refs.unfreeze(p, count);
      this.ctx.ghost(`unfroze p${p}`, (w) => ghost.unfroze(w, p));
    });
  }

  /**
   * Evicts page p if it holds exactly `count` references, the caller's among them: freeze
   * at `count`, and if that wins, drop the caller's reference and free the page frozen.
   * @returns true if evicted; false (the page is busy) leaves the caller's reference.
   */
  evict(p: number, count: number): boolean {
    return this.op(() => {
      if (!this.freeze(p, count)) return false;
      this.ctx.ghost(`drops its ref to p${p}`, (w) => ghost.dropping(w, this.t, p, 1));
      this.destroy(p, { from: 'page' });
      return true;
    });
  }

  /** Uses the page: legal only while holding a reference or having it frozen. */
  touch(p: number): void {
    this.ctx.ghost(`uses p${p}`, (w) => ghost.touched(w, this.t, p));
  }
}
