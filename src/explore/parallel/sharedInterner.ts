import type { Interner } from '../interner.js';
import { fmix32 } from '../keySet.js';
import type { Interners } from '../stateKeys.js';
import { decodeLog, encodeLog } from '../threadLog.js';

/**
 * Strings to dense ids that every worker of a search agrees on, each with a value that
 * any worker can read back: how the workers share the logs and worlds states name by id
 * (stateKeys.ts). Each worker keeps what it has met in its own maps; only a string it has
 * not met takes the lock and looks in shared memory. A search meets few distinct logs and
 * worlds and keys them millions of times, so the lock is rarely taken.
 *
 * Shared memory: an arena of UTF-16 code units holding each entry's key and its value
 * (encoded as a string), an index of where each id's entry lies, and an open-addressing
 * table of ids by key hash. Reading an id's entry needs no lock, since entries never move
 * or change once written and an id is only ever learnt after its entry was.
 *
 * The buffers are made at their largest size (the operating system gives them memory only
 * as entries are written): growable buffers would do, but V8 reads a growable buffer's
 * length through a runtime call, which took 2% of a profile of the search (perf, two
 * workers, getters:3x3 × classic).
 */
const LOCK = 0;
const COUNT = 1;
const USED = 2;
/** Words per id in the index: where its key starts, its length, the value's, the key's hash. */
const ENTRY = 4;
/** The most entries, and code units of their keys and values together. */
const MAX_ENTRIES = 1 << 22;
const MAX_UNITS = 1 << 28;

export interface SharedInternerBuffers {
  control: SharedArrayBuffer;
  arena: SharedArrayBuffer;
  index: SharedArrayBuffer;
  slots: SharedArrayBuffer;
}

export class SharedInterner<T> implements Interner<T> {
  private readonly control: Int32Array;
  private readonly arena: Uint16Array;
  private readonly index: Int32Array;
  private readonly slots: Int32Array;
  private readonly ids = new Map<string, number>();
  private readonly values: T[] = [];

  /**
   * Empties `buffers` for another search, once no worker uses them: the slots its entries
   * took are cleared (found by their hashes), the rest is overwritten as it is used.
   */
  static clear(buffers: SharedInternerBuffers): void {
    const control = new Int32Array(buffers.control);
    const index = new Int32Array(buffers.index);
    const slots = new Int32Array(buffers.slots);
    const mask = slots.length - 1;
    const count = control[COUNT]!;
    for (let id = 0; id < count; id++) {
      let s = index[id * ENTRY + 3]! & mask;
      for (let probes = 0; slots[s] !== id + 1; probes++, s = (s + 1) & mask) {
        if (probes === mask) {
          slots.fill(0); // a worker stopped inside append(): clear them all
          return void control.fill(0);
        }
      }
      slots[s] = 0;
    }
    control.fill(0);
  }

  static buffers(): SharedInternerBuffers {
    return {
      control: new SharedArrayBuffer(12),
      arena: new SharedArrayBuffer(MAX_UNITS * 2),
      index: new SharedArrayBuffer(MAX_ENTRIES * ENTRY * 4),
      slots: new SharedArrayBuffer(MAX_ENTRIES * 2 * 4),
    };
  }

  constructor(
    readonly buffers: SharedInternerBuffers,
    private readonly encode: (value: T) => string,
    private readonly decode: (text: string) => T,
  ) {
    this.control = new Int32Array(buffers.control);
    this.arena = new Uint16Array(buffers.arena);
    this.index = new Int32Array(buffers.index);
    this.slots = new Int32Array(buffers.slots);
  }

  get size(): number {
    return Atomics.load(this.control, COUNT);
  }

  id(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id !== undefined) return id;
    this.lock();
    try {
      id = this.find(key);
      if (id < 0) {
        id = this.append(key, this.encode(value));
        this.values[id] = value;
      }
    } finally {
      this.unlock();
    }
    this.ids.set(key, id);
    return id;
  }

  value(id: number): T {
    let v = this.values[id];
    if (v === undefined) {
      const at = id * ENTRY;
      const start = this.index[at]! + this.index[at + 1]!;
      v = this.values[id] = this.decode(this.text(start, start + this.index[at + 2]!));
    }
    return v;
  }

  /** The id of `key` in shared memory, or -1 (under the lock). */
  private find(key: string): number {
    const mask = this.slots.length - 1;
    const h = hashString(key);
    for (let s = h & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      if (this.index[(v - 1) * ENTRY + 3] === (h | 0) && this.keyIs(v - 1, key)) return v - 1;
    }
  }

  /** Adds an entry (under the lock). @returns its id. */
  private append(key: string, value: string): number {
    const id = this.control[COUNT]!;
    const start = this.control[USED]!;
    const end = start + key.length + value.length;
    if (id === MAX_ENTRIES || end > MAX_UNITS)
      throw new Error(
        `a search met more than ${MAX_ENTRIES} distinct logs or worlds, or more text in them than ${MAX_UNITS} characters`,
      );
    for (let i = 0; i < key.length; i++) this.arena[start + i] = key.charCodeAt(i);
    for (let i = 0; i < value.length; i++) this.arena[start + key.length + i] = value.charCodeAt(i);
    this.index.set([start, key.length, value.length, hashString(key)], id * ENTRY);
    this.control[USED] = end;
    this.control[COUNT] = id + 1;
    const mask = this.slots.length - 1;
    let s = this.index[id * ENTRY + 3]! & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
    return id;
  }

  private keyIs(id: number, key: string): boolean {
    const at = id * ENTRY;
    const start = this.index[at]!;
    if (this.index[at + 1] !== key.length) return false;
    for (let i = 0; i < key.length; i++)
      if (this.arena[start + i] !== key.charCodeAt(i)) return false;
    return true;
  }

  private text(start: number, end: number): string {
    let s = '';
    for (let i = start; i < end; i += 4096)
      s += String.fromCharCode(...this.arena.subarray(i, Math.min(end, i + 4096)));
    return s;
  }

  private lock(): void {
    while (Atomics.compareExchange(this.control, LOCK, 0, 1) !== 0)
      Atomics.wait(this.control, LOCK, 1, 1);
  }

  private unlock(): void {
    Atomics.store(this.control, LOCK, 0);
    Atomics.notify(this.control, LOCK, 1);
  }
}

/** FNV-1a over the code units, then the key set's final mix. */
function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

/** The interners of a search on several workers (worlds must be JSON data). */
export function sharedInterners<W>(buffers: {
  logs: SharedInternerBuffers;
  worlds: SharedInternerBuffers;
  canonicalWorlds: SharedInternerBuffers;
}): Interners<W> {
  const parse = (text: string) => JSON.parse(text) as never;
  return {
    logs: new SharedInterner(buffers.logs, encodeLog, decodeLog),
    worlds: new SharedInterner(buffers.worlds, JSON.stringify, parse),
    canonicalWorlds: new SharedInterner(
      buffers.canonicalWorlds,
      () => '',
      () => null,
    ),
  };
}
