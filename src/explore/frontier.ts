import type { Sleep } from './sleepSets.js';

/**
 * A layer of the breadth-first search: the states held in full, packed. A state is a row
 * of Int32s (its id, its world's index in the state table, its memory, one log id per
 * thread) in one growing array, plus its path count; the few fields sleep sets need live in
 * a side map. A layer can hold a tenth of all states (four getters: 250,000 of 1,000,000),
 * and as objects each cost several hundred bytes (a typed array for the memory, an array
 * for the logs); as a row it costs its width in words.
 */
export interface Node<W> {
  /** Index into the search's parent links. */
  id: number;
  memory: Int32Array;
  world: W;
  /** Each thread's log, as an id in the state table's log table. */
  logs: Int32Array;
  paths: number;
  /** Threads not to step here (sleep sets), with their next steps' footprints. */
  sleep?: Sleep;
  /** A revisit (sleep sets): step only these threads (a bitmask), the others were stepped. */
  only?: number;
  /** The state's key before symmetry merged it (sleep sets under symmetry). */
  concrete?: string;
}

type Extra = Pick<Node<unknown>, 'sleep' | 'only' | 'concrete'>;

export class Frontier<W> {
  private rows: Int32Array;
  private paths: Float64Array;
  private readonly extras = new Map<number, Extra>();
  private readonly width: number;
  length = 0;

  constructor(
    private readonly memoryLength: number,
    private readonly threads: number,
    /** The world with a given index (StateTable.worldAt). */
    private readonly worldAt: (index: number) => W,
    /** A world's index (StateTable.worldIndex). */
    private readonly worldIndex: (world: W) => number,
  ) {
    this.width = 2 + memoryLength + threads;
    this.rows = new Int32Array(this.width * 64);
    this.paths = new Float64Array(64);
  }

  push(node: Node<W>): void {
    const i = this.length++;
    if (i === this.paths.length) {
      const rows = new Int32Array(this.rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
      const paths = new Float64Array(this.paths.length * 2);
      paths.set(this.paths);
      this.paths = paths;
    }
    const at = i * this.width;
    this.rows[at] = node.id;
    this.rows[at + 1] = this.worldIndex(node.world);
    this.rows.set(node.memory, at + 2);
    this.rows.set(node.logs, at + 2 + this.memoryLength);
    this.paths[i] = node.paths;
    if (node.sleep || node.only !== undefined || node.concrete !== undefined)
      this.extras.set(i, { sleep: node.sleep, only: node.only, concrete: node.concrete });
  }

  /** State i, as a view: its memory and logs are views of the row, not to be changed. */
  at(i: number): Node<W> {
    const at = i * this.width;
    const m = at + 2;
    return {
      id: this.rows[at]!,
      world: this.worldAt(this.rows[at + 1]!),
      memory: this.rows.subarray(m, m + this.memoryLength),
      logs: this.rows.subarray(m + this.memoryLength, m + this.memoryLength + this.threads),
      paths: this.paths[i]!,
      ...this.extras.get(i),
    };
  }

  /** Every state's row, end to end: id, world index, memory, log ids. */
  rowsView(): Int32Array {
    return this.rows.subarray(0, this.length * this.width);
  }

  /** The id of state i. */
  id(i: number): number {
    return this.rows[i * this.width]!;
  }

  addPaths(i: number, paths: number): void {
    this.paths[i] = this.paths[i]! + paths;
  }

  extra(i: number): Extra | undefined {
    return this.extras.get(i);
  }

  setSleep(i: number, sleep: Sleep): void {
    this.extras.set(i, { ...this.extras.get(i), sleep });
  }
}
