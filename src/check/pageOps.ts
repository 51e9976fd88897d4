import type { PageRefs } from '../refcount/pageRefs.js';
import type { ThreadContext } from '../explore/explore.js';
import { ghost, typeName, type World } from './world.js';

/**
 * The operations a scenario's threads perform: each is the library's own call (through a
 * PageRefs over model cells, debug checks on) paired with its ghost bookkeeping. Besides
 * its counter, page p has two more cells: its type tag, and a flag set while it sits in
 * the allocator's free list.
 */
export interface PageCells {
  pages: number;
  typeCell(p: number): number;
  freeCell(p: number): number;
}

export const pageCells = (pages: number): PageCells => ({
  pages,
  typeCell: (p) => pages + p,
  freeCell: (p) => 2 * pages + p,
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
      if (ok) this.ctx.ghost(`got p${p}`, (w) => ghost.got(w, this.t, p));
      return ok;
    });
  }

  /** Takes `nr` more references to a page the thread holds (page_ref_add / inc). */
  inc(p: number): boolean {
    return this.op(() => {
      this.ctx.ghost(`takes a ref to p${p}`, (w) => ghost.added(w, this.t, p, 1));
      this.label(`inc p${p}`);
      this.refs.inc(p);
    });
  }

  /** Drops a reference that is not the last (page_ref_dec). */
  dec(p: number): boolean {
    return this.op(() => {
      this.ctx.ghost(`drops a ref to p${p}`, (w) => ghost.dropping(w, this.t, p, 1));
      this.label(`dec p${p}`);
      this.refs.dec(p);
    });
  }

  /**
   * folio_put: drops a reference; the thread whose decAndTest wins frees the page, running
   * the destructor of the type it takes from `dtor`, and hands the page to the allocator.
   * @returns true if this thread freed the page.
   */
  put(p: number, dtor: DestructorFrom = { from: 'page' }): boolean {
    return this.op(() => {
      this.ctx.ghost(`drops its ref to p${p}`, (w) => ghost.dropping(w, this.t, p, 1));
      this.label(`put p${p}`);
      if (!this.refs.decAndTest(p)) return false;
      this.destroy(p, dtor);
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
