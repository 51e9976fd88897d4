/**
 * The torture test's page contents: bytes 0–3 the key, 4–7 the generation (little-endian),
 * then byte i = (key·131 + generation·31 + i) mod 256. A read that returns another key's
 * bytes, or a mix of two generations, fails verify().
 */
export function fillPattern(bytes: Uint8Array, key: number, generation: number): void {
  new DataView(bytes.buffer, bytes.byteOffset, 8).setUint32(0, key, true);
  new DataView(bytes.buffer, bytes.byteOffset, 8).setUint32(4, generation, true);
  const seed = (Math.imul(key, 131) + Math.imul(generation, 31)) >>> 0;
  for (let i = 8; i < bytes.length; i++) bytes[i] = (seed + i) & 0xff;
}

/** @returns undefined if `bytes` (a page's first bytes) is a whole page of `key`, else why not. */
export function verifyPattern(bytes: Uint8Array, key: number): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const seen = view.getUint32(0, true);
  if (seen !== key) return `read key ${key} but got the bytes of key ${seen}`;
  const generation = view.getUint32(4, true);
  const seed = (Math.imul(key, 131) + Math.imul(generation, 31)) >>> 0;
  for (let i = 8; i < bytes.length; i++) {
    if (bytes[i] !== ((seed + i) & 0xff))
      return `key ${key} generation ${generation}: byte ${i} is torn`;
  }
  return undefined;
}
