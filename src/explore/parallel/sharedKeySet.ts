import { hash } from '../keySet.js';

/**
 * The visited set of a search on several workers: fixed-width keys of Int32s, each given
 * an id in order of insertion, in shared memory that every worker inserts into at once.
 * Lock-free: a slot of the open-addressing index is claimed by a compare-and-swap (0 →
 * BUSY), the key is written, and the slot is published with the key's id; a reader that
 * meets a claimed slot waits for it to be published (a few stores). Keys are never
 * removed, so probing needs no tombstones.
 *
 * Each key also has a *tag*: the smallest (parent position, thread) that reached it in the
 * layer that found it (see parallel/README.md, "Same answers as one job"), lowered by a
 * compare-and-swap loop: the same Atomics the library's counters use.
 *
 * The capacity is fixed while workers insert: the coordinator grows the set between
 * layers, when no worker is inserting, to hold the most keys the next layer can add (see
 * grownFor). The index stays at most half full, and no larger than it needs to be: a
 * lookup's cost is a cache miss in it. The keys and tags can be reserved for the search's
 * whole limit at once (the operating system gives memory only to what is written, in id
 * order), so that growing replaces the index only and never copies the keys (a replaced
 * buffer lives on until every worker's garbage collector lets it go). Peak memory did not
 * measurably change with it (getters:4x2 × classic on two workers: 1.65 to 1.67 GB in the benchmark).
 */
const COUNT = 0;
const BUSY = -1;

export interface SharedKeySetBuffers {
  width: number;
  capacity: number;
  control: SharedArrayBuffer;
  slots: SharedArrayBuffer;
  keys: SharedArrayBuffer;
  tags: SharedArrayBuffer;
}

export class SharedKeySet {
  readonly width: number;
  readonly capacity: number;
  private readonly control: Int32Array;
  private readonly slots: Int32Array;
  private readonly keys: Int32Array;
  private readonly tags: Int32Array;
  private readonly mask: number;
  /** Set by findOrAdd: whether the key it returned was added by that call. */
  added = false;

  /** A set for `capacity` keys, with room reserved for `reserve` keys (see grownFor). */
  static create(width: number, capacity: number, reserve = capacity): SharedKeySet {
    const ids = Math.max(capacity, reserve);
    return new SharedKeySet({
      width,
      capacity,
      control: new SharedArrayBuffer(4),
      slots: slotsFor(capacity),
      keys: new SharedArrayBuffer(ids * width * 4),
      tags: new SharedArrayBuffer(ids * 4),
    });
  }

  /**
   * A set with the same keys that holds at least `needed` keys (at most `limit`): this one,
   * if it does, else a copy twice as large or more. Only while no worker inserts.
   */
  grownFor(needed: number, limit: number): SharedKeySet {
    if (needed <= this.capacity || this.capacity >= limit) return this;
    // a set that refused a key (full) counted it: the search stops there, never grows it
    if (Atomics.load(this.control, COUNT) > this.capacity)
      throw new Error('[checker bug] a full visited set grown');
    const capacity = Math.min(limit, Math.max(needed, this.capacity * 2));
    const reserved = this.tags.length >= capacity;
    const grown = new SharedKeySet({
      ...this.buffers,
      capacity,
      slots: slotsFor(capacity),
      keys: reserved ? this.buffers.keys : new SharedArrayBuffer(capacity * this.width * 4),
      tags: reserved ? this.buffers.tags : new SharedArrayBuffer(capacity * 4),
    });
    const count = this.size;
    if (!reserved) {
      grown.keys.set(this.keys.subarray(0, count * this.width));
      grown.tags.set(this.tags.subarray(0, count));
    }
    for (let id = 0; id < count; id++) {
      const key = grown.keys.subarray(id * this.width, (id + 1) * this.width);
      let s = hash(key) & grown.mask;
      while (grown.slots[s] !== 0) s = (s + 1) & grown.mask;
      grown.slots[s] = id + 1;
    }
    return grown;
  }

  constructor(readonly buffers: SharedKeySetBuffers) {
    this.width = buffers.width;
    this.capacity = buffers.capacity;
    this.control = new Int32Array(buffers.control);
    this.slots = new Int32Array(buffers.slots);
    this.keys = new Int32Array(buffers.keys);
    this.tags = new Int32Array(buffers.tags);
    this.mask = this.slots.length - 1;
  }

  /** How many keys have been added (by every worker). */
  get size(): number {
    return Math.min(Atomics.load(this.control, COUNT), this.capacity);
  }

  /** The id of `key`, or -1. */
  get(key: Int32Array): number {
    for (let s = hash(key) & this.mask; ; s = (s + 1) & this.mask) {
      const v = this.published(s);
      if (v === 0) return -1;
      if (this.equals(v - 1, key)) return v - 1;
    }
  }

  /**
   * The id of `key`, added with tag `tag` if it is new (then `added` is true); -1 if it is
   * new and the set is full.
   */
  findOrAdd(key: Int32Array, tag: number): number {
    for (let s = hash(key) & this.mask; ; s = (s + 1) & this.mask) {
      let v = this.published(s);
      if (v === 0) {
        if (Atomics.compareExchange(this.slots, s, 0, BUSY) === 0) {
          const id = Atomics.add(this.control, COUNT, 1);
          if (id >= this.capacity) {
            Atomics.store(this.slots, s, 0);
            this.added = false;
            return -1;
          }
          this.keys.set(key, id * this.width);
          this.tags[id] = tag;
          Atomics.store(this.slots, s, id + 1); // publishes the key and tag written above
          this.added = true;
          return id;
        }
        v = this.published(s); // another worker claimed it first: it may hold this key
      }
      if (this.equals(v - 1, key)) {
        this.added = false;
        return v - 1;
      }
    }
  }

  /** The tag of key `id`. */
  tag(id: number): number {
    return Atomics.load(this.tags, id);
  }

  /** Lowers key `id`'s tag to `tag`: whether it was higher. */
  lowerTag(id: number, tag: number): boolean {
    return atomicMin(this.tags, id, tag);
  }

  /** Slot s once published: 0 (empty) or an id + 1. */
  private published(s: number): number {
    let v = Atomics.load(this.slots, s);
    while (v === BUSY) v = Atomics.load(this.slots, s);
    return v;
  }

  private equals(id: number, key: Int32Array): boolean {
    const at = id * this.width;
    for (let i = 0; i < this.width; i++) if (this.keys[at + i] !== key[i]) return false;
    return true;
  }
}

/** Lowers `array[index]` to `value` by compare-and-swap: whether it was higher. */
export function atomicMin(array: Int32Array, index: number, value: number): boolean {
  let seen = Atomics.load(array, index);
  while (value < seen) {
    const was = Atomics.compareExchange(array, index, seen, value);
    if (was === seen) return true;
    seen = was;
  }
  return false;
}

/** An empty index for `capacity` keys: at most half full. */
function slotsFor(capacity: number): SharedArrayBuffer {
  let slots = 1024;
  while (slots < capacity * 2) slots *= 2;
  return new SharedArrayBuffer(slots * 4);
}
