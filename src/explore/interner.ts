/**
 * Strings to small dense ids, each with a value: how the state table names the logs and
 * worlds that states share (stateKeys.ts). One search on one thread uses
 * {@link LocalInterner}; a search on several workers uses one whose ids all workers agree
 * on (parallel/sharedInterner.ts), behind the same interface.
 */
export interface Interner<T> {
  /** The id of `key`, adding `value` under it if the key is new. */
  id(key: string, value: T): number;
  /** The value stored under an id. */
  value(id: number): T;
  /** How many keys have ids. */
  readonly size: number;
}

export class LocalInterner<T> implements Interner<T> {
  private readonly ids = new Map<string, number>();
  private readonly values: T[] = [];

  id(key: string, value: T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.push(value) - 1;
      this.ids.set(key, id);
    }
    return id;
  }

  value(id: number): T {
    return this.values[id]!;
  }

  get size(): number {
    return this.values.length;
  }

  /** Every key and its value, in the order of their ids. */
  *entries(): Generator<[string, T]> {
    for (const [key, id] of this.ids) yield [key, this.values[id]!];
  }
}
