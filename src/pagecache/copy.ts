/**
 * The copy routines of `PageCache.read`: 8-byte words when source, destination and length
 * are 8-byte aligned, else 4-byte words, else bytes; long copies use `TypedArray.set`.
 * Unrolled loops over typed-array views, which V8 compiles to plain moves (docs/microbench.md,
 * "The read path", has the measurements that chose them).
 *
 * @module
 */

/** Copies of at most this many bytes go word by word; longer ones use `TypedArray.set`. */
export const WORD_COPY_MAX = 512;

/**
 * Copies `n` 8-byte words, 2 per iteration, then the rest. BigInt64Array, not Float64Array:
 * a BigInt is an exact integer in every engine, while ECMAScript lets an engine change a
 * NaN's bits on the way through a variable (NaN-boxing engines do), which would corrupt bytes.
 * V8's optimizing compiler moves these as raw 64-bit words, without allocating a BigInt.
 */
export function copy64(
  src: BigInt64Array,
  s: number,
  dst: BigInt64Array,
  d: number,
  n: number,
): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    dst[d + i] = src[s + i]!;
    dst[d + i + 1] = src[s + i + 1]!;
  }
  for (; i < n; i++) dst[d + i] = src[s + i]!;
}

/** Copies `n` Int32 words: 4 per iteration, then the rest. */
export function copy32(src: Int32Array, s: number, dst: Int32Array, d: number, n: number): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    dst[d + i] = src[s + i]!;
    dst[d + i + 1] = src[s + i + 1]!;
    dst[d + i + 2] = src[s + i + 2]!;
    dst[d + i + 3] = src[s + i + 3]!;
  }
  for (; i < n; i++) dst[d + i] = src[s + i]!;
}

/**
 * `read`'s copy when it cannot go 8 bytes at a time: `TypedArray.set` past WORD_COPY_MAX
 * bytes, else 4-byte words when aligned so on both sides (`words` is the destination's Int32
 * view, empty if its byteOffset is not a multiple of 4), else byte by byte.
 */
export function copyWords(
  data: Uint8Array,
  data32: Int32Array,
  from: number,
  length: number,
  into: Uint8Array,
  intoOffset: number,
  words: Int32Array,
): void {
  if (length > WORD_COPY_MAX) into.set(data.subarray(from, from + length), intoOffset);
  else if (((from | intoOffset | length) & 3) === 0 && (intoOffset + length) >> 2 <= words.length)
    copy32(data32, from >> 2, words, intoOffset >> 2, length >> 2);
  else for (let i = 0; i < length; i++) into[intoOffset + i] = data[from + i]!;
}
