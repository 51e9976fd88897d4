/**
 * The argument checks of `PageRefs`: each throws a TypeError (wrong kind of value) or a
 * RangeError (right kind, out of range) that says what was expected and what was found,
 * before any counter is touched. The checks on the hot path are one or two comparisons,
 * inline; the messages are built out of line.
 *
 * @module
 */

import { MAX_COUNT } from './layout.js';
import { PAGE_REF_FUNCTIONS } from './pageRefApi.js';
import type { Strategy } from './strategy.js';

/** The largest page count a buffer may hold. */
export const MAX_PAGES = 1 << 28;

/** A page index `p` in 0 … pages-1. */
export function checkPage(p: number, pages: number): void {
  if (p >>> 0 !== p || p >= pages) throw badPage(p, pages);
}

/** An `nr` of references: a positive Int32. */
export function checkNr(nr: number): void {
  if ((nr | 0) !== nr || nr <= 0) throw badInteger('nr', nr, 'a positive integer ≤ INT_MAX');
}

/** A live count for set/freeze/unfreeze: 1 … INT_MAX. */
export function checkCount(what: string, v: number): void {
  if ((v | 0) !== v || v <= 0) {
    const hint = what === 'set' && v === 0 ? '; use setFrozen() to mark a page free' : '';
    throw badInteger(`${what} count`, v, `an integer from 1 to ${MAX_COUNT}${hint}`);
  }
}

/** The number of pages: an integer from 1 to {@link MAX_PAGES}. */
export function checkPageCount(pages: unknown): asserts pages is number {
  if (typeof pages !== 'number' || !Number.isInteger(pages) || pages < 1 || pages > MAX_PAGES) {
    throw badInteger('pages', pages, `an integer from 1 to ${MAX_PAGES}`);
  }
}

/** An options bag: an object (not null, not an array); `undefined` is allowed when optional. */
export function checkOptions(who: string, options: unknown, shape: string): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new TypeError(`${who}: expected an options object ${shape}, got ${describe(options)}`);
  }
}

/** `debug`: a boolean. */
export function checkDebug(debug: unknown): asserts debug is boolean {
  if (typeof debug !== 'boolean') throw new TypeError(`debug must be a boolean, got ${debug}`);
}

/**
 * `bytes` from `offset` in `buffer`: a SharedArrayBuffer, an offset that is a non-negative
 * multiple of 4, and room for the region.
 */
export function checkRegion(who: string, buffer: unknown, offset: unknown, bytes: number): void {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`${who}: buffer must be a SharedArrayBuffer, got ${describe(buffer)}`);
  }
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0 || offset % 4 !== 0) {
    // a string or a fraction is the wrong kind of value, as for every other argument
    const Err = typeof offset === 'number' && Number.isInteger(offset) ? RangeError : TypeError;
    throw new Err(
      `${who}: byteOffset must be a non-negative multiple of 4, got ${describe(offset)}`,
    );
  }
  if (offset + bytes > buffer.byteLength) {
    throw new RangeError(
      `${who}: ${bytes} bytes from byteOffset ${offset} do not fit a buffer of ${buffer.byteLength} bytes`,
    );
  }
}

/** A strategy object (for `PageRefs.over`): a name and every function of the API. */
export function checkStrategy(s: unknown): asserts s is Strategy {
  if (typeof s !== 'object' || s === null) {
    throw new TypeError(`strategy must be a strategy object, got ${describe(s)}`);
  }
  const o = s as Record<string, unknown>;
  const missing: string[] = typeof o.name === 'string' ? [] : ['name'];
  for (const f of ['isFrozenCount', ...PAGE_REF_FUNCTIONS]) {
    if (typeof o[f] !== 'function') missing.push(f);
  }
  if (missing.length > 0) {
    throw new TypeError(`strategy object is missing ${missing.join(', ')}`);
  }
}

function badPage(p: unknown, pages: number): Error {
  if (typeof p !== 'number' || !Number.isInteger(p)) {
    return new TypeError(
      `page index must be an integer from 0 to ${pages - 1}, got ${describe(p)}`,
    );
  }
  return new RangeError(`page index ${p} out of range: expected 0 to ${pages - 1}`);
}

function badInteger(what: string, v: unknown, expected: string): Error {
  const Err = typeof v === 'number' && Number.isInteger(v) ? RangeError : TypeError;
  return new Err(`${what} must be ${expected}, got ${describe(v)}`);
}

/** A value, for an error message: strings quoted, objects by their constructor's name. */
export function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return String(v);
  return (v as object).constructor?.name ?? typeof v;
}
