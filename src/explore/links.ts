/**
 * Parent links by state id: the parent's id (-1 for the initial state) and the thread whose
 * step led from it. All a search keeps of its paths (trace.ts rebuilds them by replay).
 */
export class Links {
  private parents = new Int32Array(1024);
  private threads = new Int32Array(1024);

  set(id: number, parent: number, thread: number): void {
    while (id >= this.parents.length) {
      const parents = new Int32Array(this.parents.length * 2);
      parents.set(this.parents);
      this.parents = parents;
      const threads = new Int32Array(this.threads.length * 2);
      threads.set(this.threads);
      this.threads = threads;
    }
    this.parents[id] = parent;
    this.threads[id] = thread;
  }

  parent(id: number): number {
    return this.parents[id]!;
  }

  thread(id: number): number {
    return this.threads[id]!;
  }

  /** The threads that ran, in order, on the path from the initial state to state `id`. */
  threadsTo(id: number): number[] {
    const path: number[] = [];
    for (let i = id; this.parents[i]! >= 0; i = this.parents[i]!) path.push(this.threads[i]!);
    return path.reverse();
  }
}
