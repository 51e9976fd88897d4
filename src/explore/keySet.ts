/**
 * A set of fixed-width keys of Int32s, each mapped to the order in which it was added: the
 * explorer's visited set. Keys live end to end in one growing Int32Array and the index is
 * open addressing over another, so a state costs its key's width in words plus about two
 * words of index (a Map of strings costs several times that: an object per key).
 */
export class KeySet {
  private keys: Int32Array;
  private slots: Int32Array; // id + 1 per slot, 0 = empty
  private count = 0;

  constructor(readonly width: number) {
    this.keys = new Int32Array(width * 1024);
    this.slots = new Int32Array(2048);
  }

  get size(): number {
    return this.count;
  }

  /** The key with id `id` (a view). */
  key(id: number): Int32Array {
    return this.keys.subarray(id * this.width, (id + 1) * this.width);
  }

  /** The id of `key`, or -1. */
  get(key: Int32Array): number {
    const mask = this.slots.length - 1;
    for (let s = hash(key) & mask; ; s = (s + 1) & mask) {
      const v = this.slots[s]!;
      if (v === 0) return -1;
      if (this.equals(v - 1, key)) return v - 1;
    }
  }

  /** Adds a key not in the set. @returns its id: how many keys were added before it. */
  add(key: Int32Array): number {
    const id = this.count++;
    if ((id + 1) * this.width > this.keys.length) {
      const grown = new Int32Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    this.keys.set(key, id * this.width);
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(id);
    return id;
  }

  private equals(id: number, key: Int32Array): boolean {
    const at = id * this.width;
    for (let i = 0; i < this.width; i++) if (this.keys[at + i] !== key[i]) return false;
    return true;
  }

  private place(id: number): void {
    const mask = this.slots.length - 1;
    let s = hash(this.keys.subarray(id * this.width, (id + 1) * this.width)) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = id + 1;
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    for (let id = 0; id < this.count; id++) this.place(id);
  }
}

/** FNV-1a over the words, then a final mix so that low bits spread. */
export function hash(key: Int32Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key[i]!, 0x01000193);
  return fmix32(h);
}

/** murmur3's final mix: every input bit moves every output bit. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
