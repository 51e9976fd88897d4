/**
 * Call sites: which line of a strategy made a Cells call, for an audit that weakens one
 * access at a time without touching the strategy's file.
 *
 * A site is the source position of the call (`src/refcount/frozenBit.ts:17:20`), read from the
 * stack at the moment the recording cells ask for the access's ordering (their `reorder`
 * hook): the frame just above RecordingCells' own frames is the strategy's line. A position
 * is robust where counting calls is not: a CAS retry loop makes the same site's call many
 * times, and two strategy methods that share a helper (`tryGet` → `tryAdd`) share its sites,
 * as they share the line a kernel developer would edit (the audit adds the ordering as
 * written, for a helper that its callers give different orderings: audit.ts). The compiled
 * file's position is mapped back to the TypeScript source through its source map, and the
 * kernel call is read from that line's comment (`// atomic_add_return(): …`), which every
 * strategy line carries.
 *
 * @module
 */

import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** One call site of a strategy. */
export interface Site {
  /** `src/refcount/frozenBit.ts:17:20`: file (relative to the working directory), line, column. */
  key: string;
  file: string;
  line: number;
  /** The function the call is in (`tryAdd`, `freeze`), as the stack names it. */
  fn: string;
  /** The kernel call its comment names (`atomic_add_return`), or `?` without one. */
  kernelCall: string;
  /** The source line, trimmed. */
  text: string;
}

// The checker's own files, by where this module is (dist/src/check/audit/), never by a part of
// a path: a user's strategy kept under some other src/check/ is still a strategy.
const SRC = new URL('../../', import.meta.url).href;
const RECORDING = `${SRC}axiomatic/recordingCells.js`;
/** The door a strategy that is not built in gets to the recording cells (src/check/lkmm). */
const DOOR = `${SRC}check/lkmm/guardedLkmm.js`;
/** Frames of the engine itself: a Cells call made there is the page's model, not a strategy's. */
const ENGINE = [`${SRC}check/`, `${SRC}axiomatic/`];
/** A frame's file as a URL, as ES modules name theirs. */
const urlOf = (c: NodeJS.CallSite): string => {
  const f = c.getFileName() ?? '';
  return f.startsWith('file:') || f === '' ? f : pathToFileURL(f).href;
};

const maps = new Map<string, SourceMap | null>();
const sites = new Map<string, Site | null>();

function sourceMapOf(file: string): SourceMap | null {
  let m = maps.get(file);
  if (m !== undefined) return m;
  m = null;
  const path = `${file}.map`;
  if (existsSync(path)) m = new SourceMap(JSON.parse(readFileSync(path, 'utf8')));
  maps.set(file, m);
  return m;
}

/** The frames above the caller, as V8's structured call sites. */
function frames(): NodeJS.CallSite[] {
  const prepare = Error.prepareStackTrace;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 16;
  Error.prepareStackTrace = (_, f) => f;
  const holder: { stack?: NodeJS.CallSite[] } = {};
  Error.captureStackTrace(holder, frames);
  const out = holder.stack ?? [];
  Error.prepareStackTrace = prepare;
  Error.stackTraceLimit = limit;
  return out;
}

/**
 * The strategy's site of the Cells call being recorded now, or undefined when the call is not
 * a strategy's (the model's own accesses, such as the release store that hands a freed page
 * back to the allocator). Call it only from inside a RecordingCells hook.
 */
export function currentSite(): Site | undefined {
  const f = frames();
  // the innermost run of RecordingCells frames (order, then the public method); the frame
  // just outside it is the caller (an outer `branch` frame belongs to the page's model)
  let i = f.findIndex((c) => urlOf(c) === RECORDING);
  if (i < 0) return undefined;
  while (i < f.length && urlOf(f[i]!) === RECORDING) i++;
  while (i < f.length && urlOf(f[i]!) === DOOR) i++;
  const caller = f[i];
  if (!caller) return undefined;
  const url = caller.getFileName() ?? '';
  const raw = `${url}:${caller.getLineNumber()}:${caller.getColumnNumber()}`;
  let site = sites.get(raw);
  if (site === undefined) {
    site = ENGINE.some((dir) => urlOf(caller).startsWith(dir)) ? null : locate(caller);
    sites.set(raw, site);
  }
  return site ?? undefined;
}

function locate(frame: NodeJS.CallSite): Site {
  const url = frame.getFileName() ?? '?';
  let file = url.startsWith('file:') ? fileURLToPath(url) : url;
  let line = frame.getLineNumber() ?? 0;
  let column = frame.getColumnNumber() ?? 0;
  const map = sourceMapOf(file);
  const entry = map?.findEntry(line - 1, column - 1);
  if (entry && 'originalSource' in entry && entry.originalSource) {
    const src = entry.originalSource.startsWith('file:')
      ? fileURLToPath(entry.originalSource)
      : resolve(dirname(file), entry.originalSource);
    file = src;
    line = entry.originalLine + 1;
    column = entry.originalColumn + 1;
  }
  const text = existsSync(file) ? (readFileSync(file, 'utf8').split('\n')[line - 1] ?? '') : '';
  const rel = relative(process.cwd(), file).replaceAll('\\', '/');
  return {
    key: `${rel}:${line}:${column}`,
    file: rel,
    line,
    fn: (frame.getFunctionName() ?? frame.getMethodName() ?? '?').replace(/^Object\./, ''),
    kernelCall: /\/\/\s*(atomic_\w+)\(/.exec(text)?.[1] ?? '?',
    text: text.trim(),
  };
}
