/**
 * linux-kernel.cat, line for line, up to the RCU axiom: basic relations, coherence, atomicity,
 * ppo, cumul-fence, prop, hb, pb, rcu-link, rcu-order, rcu-fence and rb. The plain-access
 * part is races.ts.
 */

import type { Execution } from '../../execution.js';
import {
  acyclic,
  diff,
  fencerel,
  fixpoint,
  id,
  inter,
  inv,
  irreflexive,
  opt,
  seq,
  star,
  union,
  universe,
  type EventSet,
  type Relation,
} from '../../relation.js';
import { bell, type Bell } from './bell.js';
import { lockCat, type LockCat } from './lockCat.js';

export interface Cat {
  bell: Bell;
  lock: LockCat;
  rfe: Relation;
  rfi: Relation;
  coe: Relation;
  fre: Relation;
  poUnlockLockPo: Relation;
  R4rmb: EventSet;
  rmb: Relation;
  wmb: Relation;
  mb: Relation;
  poRel: Relation;
  acqPo: Relation;
  gp: Relation;
  nonrwFence: Relation;
  barrier: Relation;
  ppo: Relation;
  rmwSequence: Relation;
  cumulFence: Relation;
  prop: Relation;
  hb: Relation;
  pb: Relation;
  rcuLink: Relation;
  rcuOrder: Relation;
  rcuFence: Relation;
  /** fence and strong-fence as redefined after rcu-fence. */
  fence: Relation;
  strongFence: Relation;
  rb: Relation;
  /** Axioms in file order (lock.cat's first): [name, holds]. */
  axioms: [string, boolean][];
}

export function linuxKernelCat(x: Execution): Cat {
  const b = bell(x);
  // include "lock.cat"
  const l = lockCat(x, b);
  const t = (tag: string) => x.tagged(tag);
  const { po, int, ext } = x;
  const { R, W, M, Acquire, Release, rmw, rf, co, fr } = l;
  const { Marked, Plain, Mb, Noreturn, addr, data, ctrl } = b;
  const rfe = inter(rf, ext);
  const rfi = inter(rf, int);
  const coe = inter(co, ext);
  const fre = inter(fr, ext);
  const poloc = inter(po, x.loc);
  const axioms: [string, boolean][] = [...l.axioms];
  const [Rmb, Wmb] = [t('rmb'), t('wmb')];
  const RMW = t('RMW');

  // let acq-po = [Acquire] ; po ; [M]
  const acqPo = seq(id(Acquire), po, id(M));
  // let po-rel = [M] ; po ; [Release]
  const poRel = seq(id(M), po, id(Release));
  // let po-unlock-lock-po = po ; [UL] ; (po|rf) ; [LKR] ; po
  const poUnlockLockPo = seq(po, id(l.UL), union(po, rf), id(l.LKR), po);

  // let R4rmb = R \ Noreturn
  const R4rmb = diff(R, Noreturn);
  // let rmb = [R4rmb] ; fencerel(Rmb) ; [R4rmb]
  const rmb = seq(id(R4rmb), fencerel(po, Rmb), id(R4rmb));
  // let wmb = [W] ; fencerel(Wmb) ; [W]
  const wmb = seq(id(W), fencerel(po, Wmb), id(W));
  const mb = union(
    // ([M] ; fencerel(Mb) ; [M]) |
    seq(id(M), fencerel(po, Mb), id(M)),
    // ([M] ; po ; [Mb & R]) |
    seq(id(M), po, id(inter(Mb, R))),
    // ([Mb & W] ; po ; [M]) |
    seq(id(inter(Mb, W)), po, id(M)),
    // ([M] ; fencerel(Before-atomic) ; [RMW] ; po? ; [M]) |
    seq(id(M), fencerel(po, t('before-atomic')), id(RMW), opt(po), id(M)),
    // ([M] ; po? ; [RMW] ; fencerel(After-atomic) ; [M]) |
    seq(id(M), opt(po), id(RMW), fencerel(po, t('after-atomic')), id(M)),
    // ([M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M]) |
    seq(id(M), opt(po), id(l.LKW), fencerel(po, t('after-spinlock')), id(M)),
    // ([M] ; po-unlock-lock-po ; [After-unlock-lock] ; po ; [M]) |
    seq(id(M), poUnlockLockPo, id(t('after-unlock-lock')), po, id(M)),
    // ([M] ; po? ; [Srcu-unlock] ; fencerel(After-srcu-read-unlock) ; [M])
    seq(id(M), opt(po), id(b.SrcuUnlock), fencerel(po, t('after-srcu-read-unlock')), id(M)),
  );
  // let gp = po ; [Sync-rcu | Sync-srcu] ; po?
  const gp = seq(po, id(union(b.SyncRcu, b.SyncSrcu)), opt(po));
  // let strong-fence = mb | gp
  const strongFence0 = union(mb, gp);
  // let nonrw-fence = strong-fence | po-rel | acq-po
  const nonrwFence = union(strongFence0, poRel, acqPo);
  // let fence = nonrw-fence | wmb | rmb
  const fence0 = union(nonrwFence, wmb, rmb);
  // let barrier = fencerel(Barrier | Rmb | Wmb | Mb | Sync-rcu | Sync-srcu | Before-atomic |
  //   After-atomic | Acquire | Release | Rcu-lock | Rcu-unlock | Srcu-lock | Srcu-unlock) |
  //   (po ; [Release]) | ([Acquire] ; po)
  const barrierEvents = union(
    ...[t('barrier'), Rmb, Wmb, Mb, b.SyncRcu, b.SyncSrcu, t('before-atomic')],
    ...[t('after-atomic'), Acquire, Release, b.RcuLock, b.RcuUnlock, b.SrcuLock, b.SrcuUnlock],
  );
  const barrier = union(fencerel(po, barrierEvents), seq(po, id(Release)), seq(id(Acquire), po));

  // let com = rf | co | fr ; acyclic po-loc | com as coherence
  axioms.push(['coherence', acyclic(union(poloc, rf, co, fr))]);
  // empty rmw & (fre ; coe) as atomic
  axioms.push(['atomic', inter(rmw, seq(fre, coe)).isEmpty()]);

  // let dep = addr | data
  const dep = union(addr, data);
  // let rwdep = (dep | ctrl) ; [W]
  const rwdep = seq(union(dep, ctrl), id(W));
  // let overwrite = co | fr
  const overwrite = union(co, fr);
  // let to-w = rwdep | (overwrite & int) | (addr ; [Plain] ; wmb)
  const toW = union(rwdep, inter(overwrite, int), seq(addr, id(Plain), wmb));
  // let to-r = (addr ; [R]) | (dep ; [Marked] ; rfi)
  const toR = union(seq(addr, id(R)), seq(dep, id(Marked), rfi));
  // let ppo = to-r | to-w | (fence & int) | (po-unlock-lock-po & int)
  const ppo = union(toR, toW, inter(fence0, int), inter(poUnlockLockPo, int));

  // let A-cumul(r) = (rfe ; [Marked])? ; r
  const aCumul = (r: Relation) => seq(opt(seq(rfe, id(Marked))), r);
  // let rmw-sequence = (rf ; rmw)*
  const rmwSequence = star(seq(rf, rmw));
  // let cumul-fence = [Marked] ; (A-cumul(strong-fence | po-rel) | wmb |
  //   po-unlock-lock-po) ; [Marked] ; rmw-sequence
  const cumulFence = seq(
    id(Marked),
    union(aCumul(union(strongFence0, poRel)), wmb, poUnlockLockPo),
    id(Marked),
    rmwSequence,
  );
  // let prop = [Marked] ; (overwrite & ext)? ; cumul-fence* ; [Marked] ; rfe? ; [Marked]
  const prop = seq(
    id(Marked),
    opt(inter(overwrite, ext)),
    star(cumulFence),
    id(Marked),
    opt(rfe),
    id(Marked),
  );
  // let hb = [Marked] ; (ppo | rfe | ((prop \ id) & int)) ; [Marked]
  const propNotId = diff(prop, id(universe(x.n)));
  const hb = seq(id(Marked), union(ppo, rfe, inter(propNotId, int)), id(Marked));
  // acyclic hb as happens-before
  axioms.push(['happens-before', acyclic(hb)]);

  // let pb = prop ; strong-fence ; hb* ; [Marked]
  const pb = seq(prop, strongFence0, star(hb), id(Marked));
  // acyclic pb as propagation
  axioms.push(['propagation', acyclic(pb)]);

  // let rcu-gp = [Sync-rcu] ; let srcu-gp = [Sync-srcu]
  const rcuGp = id(b.SyncRcu);
  const srcuGp = id(b.SyncSrcu);
  // let rcu-rscsi = rcu-rscs^-1 ; let srcu-rscsi = srcu-rscs^-1
  const rcuRscsi = inv(b.rcuRscs);
  const srcuRscsi = inv(b.srcuRscs);
  // let rcu-link = po? ; hb* ; pb* ; prop ; po
  const rcuLink = seq(opt(po), star(hb), star(pb), prop, po);
  const L = x.loc;
  // let rec rcu-order = ... (every term holds a grace period or rcu-order itself, so with no
  // grace period it stays empty)
  const rcuOrder =
    b.SyncRcu.isEmpty() && b.SyncSrcu.isEmpty()
      ? rcuGp
      : fixpoint(x.n, (order) =>
          union(
            rcuGp,
            srcuGp,
            seq(rcuGp, rcuLink, rcuRscsi),
            inter(seq(srcuGp, rcuLink, srcuRscsi), L),
            seq(rcuRscsi, rcuLink, rcuGp),
            inter(seq(srcuRscsi, rcuLink, srcuGp), L),
            seq(rcuGp, rcuLink, order, rcuLink, rcuRscsi),
            inter(seq(srcuGp, rcuLink, order, rcuLink, srcuRscsi), L),
            seq(rcuRscsi, rcuLink, order, rcuLink, rcuGp),
            inter(seq(srcuRscsi, rcuLink, order, rcuLink, srcuGp), L),
            seq(order, rcuLink, order),
          ),
        );
  // let rcu-fence = po ; rcu-order ; po?
  const rcuFence = seq(po, rcuOrder, opt(po));
  // let fence = fence | rcu-fence ; let strong-fence = strong-fence | rcu-fence
  const fence = union(fence0, rcuFence);
  const strongFence = union(strongFence0, rcuFence);
  // let rb = prop ; rcu-fence ; hb* ; pb* ; [Marked]
  const rb = seq(prop, rcuFence, star(hb), star(pb), id(Marked));
  // irreflexive rb as rcu
  axioms.push(['rcu', irreflexive(rb)]);

  return {
    bell: b,
    lock: l,
    rfe,
    rfi,
    coe,
    fre,
    poUnlockLockPo,
    R4rmb,
    rmb,
    wmb,
    mb,
    poRel,
    acqPo,
    gp,
    nonrwFence,
    barrier,
    ppo,
    rmwSequence,
    cumulFence,
    prop,
    hb,
    pb,
    rcuLink,
    rcuOrder,
    rcuFence,
    fence,
    strongFence,
    rb,
    axioms,
  };
}
