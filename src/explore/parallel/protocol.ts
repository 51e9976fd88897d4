import type { SharedKeySetBuffers } from './sharedKeySet.js';
import type { SharedInternerBuffers } from './sharedInterner.js';
import type { Program, Step } from '../explore.js';

/**
 * What the coordinator (exploreParallel.ts) and its workers (worker.ts) say to each other,
 * and the shared memory they both read.
 */

/**
 * Where a worker gets the program: a module, the name of a function it exports, and that
 * function's argument. A program is code (thread bodies, the code under test), which
 * cannot be posted to a worker, so each worker builds its own, and all must build the same.
 */
export interface ProgramSource {
  /** A module's URL (import.meta.url of the module that exports the builder, say). */
  module: string;
  /** The exported function: (args) => Program, or a promise of one. */
  name: string;
  /** Its argument: anything a worker can be posted (structured clone). */
  args: unknown;
}

export async function loadProgram<W>(source: ProgramSource): Promise<Program<W>> {
  const mod = (await import(source.module)) as Record<string, unknown>;
  const build = mod[source.name];
  if (typeof build !== 'function')
    throw new Error(`${source.module} exports no function named ${source.name}`);
  return (await (build as (args: unknown) => Program<W> | Promise<Program<W>>)(source.args))!;
}

/** Cells of the search's shared control array. */
export const CONTROL = {
  /** The next chunk of the layer to claim. */
  claim: 0,
  /** The smallest tag of a violation found so far (stopAtViolation): chunks past it stop. */
  violation: 1,
  /** Set when a worker reached a limit: every worker stops. */
  stop: 2,
  /** How many requests (layers, or the last: 'stop') have been posted: workers wait on it. */
  layers: 3,
} as const;
export const CONTROL_CELLS = 4;

/** A state's tag: its parent's position in the layer and the thread that stepped it. */
const TAG_THREAD_BITS = 5;
export const MAX_THREADS = 1 << TAG_THREAD_BITS;
export const tagOf = (position: number, thread: number): number => position * MAX_THREADS + thread;
export const positionOfTag = (tag: number): number => tag >> TAG_THREAD_BITS;
export const threadOfTag = (tag: number): number => tag & (MAX_THREADS - 1);
/** The tag of a node's final check, which one thread runs after its steps would have. */
export const finalTag = (position: number): number => tagOf(position, MAX_THREADS - 1);

export interface WorkerSetup {
  source: ProgramSource;
  keys: SharedKeySetBuffers;
  interners: {
    logs: SharedInternerBuffers;
    worlds: SharedInternerBuffers;
    canonicalWorlds: SharedInternerBuffers;
  };
  control: SharedArrayBuffer;
  heartbeat?: SharedArrayBuffer;
  limits: {
    maxStates: number;
    /** Date.now() past which the search is incomplete. */
    deadline: number;
    maxMs: number;
    maxMemoryMB: number;
  };
  maxOpSteps: number;
  replayTwice: boolean;
  stopAtViolation: boolean;
  symmetry: boolean;
}

/**
 * Expand states [0, length) of the layer in `rows` (one row per state: its id, its world's
 * id, its memory, one log id per thread), claiming chunks of `chunk` states.
 */
export interface LayerRequest {
  rows: SharedArrayBuffer;
  length: number;
  chunk: number;
  /** The first id a state of the next layer can have: states below are older. */
  firstInNext: number;
  /** The visited set, when it has grown since the last layer. */
  keys?: SharedKeySetBuffers;
}

/** The children a chunk found new to the next layer, as rows (id, tag, then a layer row). */
export interface ChunkOut {
  index: number;
  rows: Int32Array;
}

export interface FoundViolation {
  tag: number;
  kind: string;
  message: string;
  step: Step;
}

export type FromWorker =
  | { type: 'ready' }
  | {
      type: 'layerDone';
      chunks: ChunkOut[];
      violation?: FoundViolation;
      limit?: string;
      steps: number;
    }
  | { type: 'error'; message: string };
