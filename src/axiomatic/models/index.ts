/** The memory models `--model` can name. */

import { LKMM } from './lkmm.js';
import type { MemoryModel } from './model.js';
import { SC } from './sc.js';

export const MODELS: readonly MemoryModel[] = [LKMM, SC];
export const MODEL_NAMES = MODELS.map((m) => m.name);

/** The model called `name`, or undefined. */
export function modelByName(name: string): MemoryModel | undefined {
  return MODELS.find((m) => m.name === name);
}

export type { MemoryModel, Verdict } from './model.js';
export { LKMM, SC };
