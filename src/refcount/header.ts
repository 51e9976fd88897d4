/**
 * The header that opens a PageRefs region, and the region's size.
 *
 *   byte 0    Int32  magic          "PREF" ({@link REFS_MAGIC})
 *   byte 4    Int32  format version ({@link REFS_FORMAT_VERSION})
 *   byte 8    Int32  strategy id    index in STRATEGY_NAMES
 *   byte 12   Int32  pages
 *   byte 64   Int32 × pages: the counters, page p at byte 64 + 4p
 *
 * The header is one 64-byte cache line, so that its words do not share a line with page 0.
 * A new PageRefs writes the counters first and the magic last; attach() reads the magic
 * first, so a worker that sees the magic sees the rest.
 *
 * @module
 */

import { checkPageCount, checkRegion, describe } from './checks.js';
import { STRATEGY_NAMES } from './strategies.js';
import type { StrategyName } from './strategy.js';

/** The header's fields, as Int32 word indices. */
export const REFS_HEADER = { magic: 0, version: 1, strategy: 2, pages: 3 } as const;
/** "PREF" in ASCII. */
export const REFS_MAGIC = 0x50524546;
/** Bumped whenever the region's layout changes. */
export const REFS_FORMAT_VERSION = 1;
/** Size of the header: one 64-byte cache line; the counters follow it. */
export const REFS_HEADER_BYTES = 64;

/** Bytes a PageRefs region of `pages` pages takes: the header and one Int32 per page. */
export function regionBytesFor(pages: number): number {
  return REFS_HEADER_BYTES + 4 * pages;
}

/** What a header says. */
export interface RefsHeader {
  strategy: StrategyName;
  pages: number;
}

/**
 * Writes the header of a region whose counters are already initialized. The magic is
 * stored last, atomically: it publishes the region.
 */
export function writeHeader(buffer: SharedArrayBuffer, offset: number, h: RefsHeader): void {
  const header = new Int32Array(buffer, offset, REFS_HEADER_BYTES / 4);
  header[REFS_HEADER.version] = REFS_FORMAT_VERSION;
  header[REFS_HEADER.strategy] = STRATEGY_NAMES.indexOf(h.strategy);
  header[REFS_HEADER.pages] = h.pages;
  Atomics.store(header, REFS_HEADER.magic, REFS_MAGIC); // publish: a PageRefs region from here on
}

/**
 * Reads and validates the header of the region at `offset` in `buffer`.
 * @throws TypeError if `buffer` is not a SharedArrayBuffer; RangeError if the region is too
 *   small, has no PageRefs header, another format version, an unknown strategy id, or a page
 *   count whose counters do not fit the buffer.
 */
export function readHeader(who: string, buffer: unknown, offset: unknown): RefsHeader {
  if (!(buffer instanceof SharedArrayBuffer)) {
    throw new TypeError(`${who}: expected a SharedArrayBuffer, got ${describe(buffer)}`);
  }
  const at = typeof offset === 'number' ? offset : 0;
  if (typeof offset === 'number' && buffer.byteLength < at + REFS_HEADER_BYTES) {
    throw new RangeError(
      `${who}: buffer of ${buffer.byteLength} bytes is too small for the ${REFS_HEADER_BYTES}-byte header` +
        (at ? ` at byteOffset ${at}` : ''),
    );
  }
  checkRegion(who, buffer, offset, REFS_HEADER_BYTES);
  const header = new Int32Array(buffer, at, REFS_HEADER_BYTES / 4);
  const magic = Atomics.load(header, REFS_HEADER.magic);
  if (magic !== REFS_MAGIC) {
    throw new RangeError(
      `${who}: not a PageRefs buffer (magic 0x${(magic >>> 0).toString(16)}, expected 0x${REFS_MAGIC.toString(16)})`,
    );
  }
  const version = Atomics.load(header, REFS_HEADER.version);
  if (version !== REFS_FORMAT_VERSION) {
    throw new RangeError(
      `${who}: buffer format version ${version}, this library reads version ${REFS_FORMAT_VERSION}`,
    );
  }
  const strategy = STRATEGY_NAMES[Atomics.load(header, REFS_HEADER.strategy)];
  if (strategy === undefined) throw new RangeError(`${who}: unknown strategy id in header`);
  const pages = Atomics.load(header, REFS_HEADER.pages);
  checkPageCount(pages);
  if (buffer.byteLength < at + regionBytesFor(pages)) {
    throw new RangeError(
      `${who}: header says ${pages} pages, which need ${regionBytesFor(pages)} bytes, but the buffer has ${buffer.byteLength - at}`,
    );
  }
  return { strategy, pages };
}
