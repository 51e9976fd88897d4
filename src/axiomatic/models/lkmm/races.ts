/**
 * linux-kernel.cat's last part, line for line: plain accesses, mixed accesses, plain
 * coherence and data races.
 */

import type { Execution } from '../../execution.js';
import {
  complement,
  cross,
  diff,
  fencerel,
  id,
  inter,
  inv,
  opt,
  seq,
  star,
  union,
  type Relation,
} from '../../relation.js';
import type { Cat } from './cat.js';

export interface Races {
  mixedAccesses: Relation;
  xbstar: Relation;
  vis: Relation;
  preRace: Relation;
  wwRace: Relation;
  wrRace: Relation;
  rwRace: Relation;
  /** plain-coherence: [name, holds]. */
  axiom: [string, boolean];
  /** mixed-accesses then data-race, those that fired. */
  flags: string[];
}

export function races(x: Execution, c: Cat): Races {
  const { Marked, Plain, Noreturn, addr } = c.bell;
  const { M, W, rf, co, fr } = c.lock;
  const { hb, pb, rb, fence, strongFence, nonrwFence, barrier, R4rmb, rfe } = c;
  const po = x.po;
  const poloc = inter(po, x.loc);
  const Rmb = x.tagged('rmb');
  const flags: string[] = [];

  // let mixed-accesses = ([Plain & W] ; (po-loc \ barrier) ; [Marked]) |
  //   ([Marked] ; (po-loc \ barrier) ; [Plain & W])
  const unbarred = diff(poloc, barrier);
  const plainW = inter(Plain, W);
  const mixedAccesses = union(
    seq(id(plainW), unbarred, id(Marked)),
    seq(id(Marked), unbarred, id(plainW)),
  );
  // flag ~empty mixed-accesses as mixed-accesses
  if (!mixedAccesses.isEmpty()) flags.push('mixed-accesses');

  // let xbstar = (hb | pb | rb)*
  const xbstar = star(union(hb, pb, rb));
  // let vis = cumul-fence* ; rfe? ; [Marked] ;
  //   ((strong-fence ; [Marked] ; xbstar) | (xbstar & int))
  const vis = seq(
    star(c.cumulFence),
    opt(rfe),
    id(Marked),
    union(seq(strongFence, id(Marked), xbstar), inter(xbstar, x.int)),
  );

  // let w-pre-bounded = [Marked] ; (addr | fence)?
  const wPreBounded = seq(id(Marked), opt(union(addr, fence)));
  // let r-pre-bounded = [Marked] ; (addr | nonrw-fence |
  //   ([R4rmb] ; fencerel(Rmb) ; [~Noreturn]))?
  const rPreBounded = seq(
    id(Marked),
    opt(union(addr, nonrwFence, seq(id(R4rmb), fencerel(po, Rmb), id(complement(Noreturn))))),
  );
  // let w-post-bounded = fence? ; [Marked] ; rmw-sequence
  const wPostBounded = seq(opt(fence), id(Marked), c.rmwSequence);
  // let r-post-bounded = (nonrw-fence | ([~Noreturn] ; fencerel(Rmb) ; [R4rmb]))? ; [Marked]
  const rPostBounded = seq(
    opt(union(nonrwFence, seq(id(complement(Noreturn)), fencerel(po, Rmb), id(R4rmb)))),
    id(Marked),
  );

  // let ww-vis = fence | (strong-fence ; xbstar ; w-pre-bounded) |
  //   (w-post-bounded ; vis ; w-pre-bounded)
  const wwVis = union(
    fence,
    seq(strongFence, xbstar, wPreBounded),
    seq(wPostBounded, vis, wPreBounded),
  );
  // let wr-vis = fence | (strong-fence ; xbstar ; r-pre-bounded) |
  //   (w-post-bounded ; vis ; r-pre-bounded)
  const wrVis = union(
    fence,
    seq(strongFence, xbstar, rPreBounded),
    seq(wPostBounded, vis, rPreBounded),
  );
  // let rw-xbstar = fence | (r-post-bounded ; xbstar ; w-pre-bounded)
  const rwXbstar = union(fence, seq(rPostBounded, xbstar, wPreBounded));

  // let pre-race = ext & ((Plain * M) | ((M \ IW) * Plain))
  const preRace = inter(x.ext, union(cross(Plain, M), cross(diff(M, x.IW), Plain)));

  // let wr-incoh = pre-race & rf & rw-xbstar^-1
  const wrIncoh = inter(preRace, rf, inv(rwXbstar));
  // let rw-incoh = pre-race & fr & wr-vis^-1
  const rwIncoh = inter(preRace, fr, inv(wrVis));
  // let ww-incoh = pre-race & co & ww-vis^-1
  const wwIncoh = inter(preRace, co, inv(wwVis));
  // empty (wr-incoh | rw-incoh | ww-incoh) as plain-coherence
  const axiom: [string, boolean] = ['plain-coherence', union(wrIncoh, rwIncoh, wwIncoh).isEmpty()];

  // let ww-nonrace = ww-vis & ((Marked * W) | rw-xbstar) & ((W * Marked) | wr-vis)
  const wwNonrace = inter(wwVis, union(cross(Marked, W), rwXbstar), union(cross(W, Marked), wrVis));
  // let ww-race = (pre-race & co) \ ww-nonrace
  const wwRace = diff(inter(preRace, co), wwNonrace);
  // let wr-race = (pre-race & (co? ; rf)) \ wr-vis \ rw-xbstar^-1
  const wrRace = diff(inter(preRace, seq(opt(co), rf)), wrVis, inv(rwXbstar));
  // let rw-race = (pre-race & fr) \ rw-xbstar
  const rwRace = diff(inter(preRace, fr), rwXbstar);
  // flag ~empty (ww-race | wr-race | rw-race) as data-race
  if (!union(wwRace, wrRace, rwRace).isEmpty()) flags.push('data-race');

  return { mixedAccesses, xbstar, vis, preRace, wwRace, wrRace, rwRace, axiom, flags };
}
