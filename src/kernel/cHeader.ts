/**
 * page_ref.h as a C parser reads it: tree-sitter's C grammar (the `tree-sitter-c` package's
 * WebAssembly build, run by `web-tree-sitter`, no network and no native code), then the
 * preprocessor's part done over the tree: `#ifdef`/`#ifndef` choose a branch (no CONFIG_
 * option is set: the kernel as the checker models it has neither CONFIG_DEBUG_PAGE_REF's
 * tracepoints nor CONFIG_TINY_RCU), `#define`s are collected, `#include`s and declarations
 * are skipped. What is left is the header's functions and macros, by name, with their nodes
 * for cCompile.ts; a construct the subset does not cover is refused with file:line:column.
 *
 * @module
 */

import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

/** A construct outside the C subset read here, at file:line:column (1-based). */
export class CRefused extends Error {
  override readonly name = 'CRefused';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    why: string,
  ) {
    super(`${file}:${line}:${column}: ${why}`);
  }
}

/** A `#define`: object-like (`params` undefined) or function-like. */
export interface Macro {
  name: string;
  params: string[] | undefined;
  /** The replacement text ('' for a bare `#define NAME`). */
  body: string;
  /** Where it was defined: the header's file:line, or the mail's. */
  where: string;
}

/** One function definition of the header. */
export interface CFunction {
  name: string;
  node: Node;
}

/** The header once preprocessed: its functions and macros by name. */
export interface CHeader {
  file: string;
  functions: Map<string, CFunction>;
  macros: Map<string, Macro>;
  /** Parses `text` as one C expression (a macro body), for cCompile.ts. */
  expression(text: string): Node;
  /** Refuses `node` with file:line:column. */
  refuse(node: Node, why: string): never;
}

let parser: Promise<Parser> | undefined;

/** The one C parser, loaded once (about 100 ms: the grammar's WebAssembly). */
function cParser(): Promise<Parser> {
  parser ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-c/tree-sitter-c.wasm');
    const p = new Parser();
    p.setLanguage(await Language.load(wasm));
    return p;
  })();
  return parser;
}

/**
 * Parses and preprocesses `text`. `defines` are macros from outside the header (the
 * `#define`s a patch mail adds to page-flags.h, such as PAGEREF_FROZEN_BIT).
 * @throws CRefused at the first syntax error or unsupported preprocessor construct.
 */
export async function readHeader(
  text: string,
  file: string,
  defines: Macro[] = [],
): Promise<CHeader> {
  const p = await cParser();
  const tree = p.parse(text);
  if (!tree) throw new Error(`[checker bug] tree-sitter returned no tree for ${file}`);
  const refuse = (node: Node, why: string): never => {
    throw new CRefused(file, node.startPosition.row + 1, node.startPosition.column + 1, why);
  };
  const header: CHeader = {
    file,
    functions: new Map(),
    macros: new Map(defines.map((d) => [d.name, d])),
    expression(body) {
      const wrapped = p.parse(`int __pageref_macro = (${body});`);
      const init = wrapped?.rootNode.descendantsOfType('init_declarator')[0];
      const value = init?.childForFieldName('value');
      if (!value || wrapped!.rootNode.hasError) throw new Error(`not a C expression: ${body}`);
      return value;
    },
    refuse,
  };
  if (tree.rootNode.hasError) {
    const bad = firstError(tree.rootNode)!;
    refuse(
      bad,
      bad.isMissing
        ? `syntax error: missing ${bad.type}`
        : `syntax error at ${JSON.stringify(bad.text.slice(0, 40))}`,
    );
  }
  walk(tree.rootNode, header);
  return header;
}

/** The first node, in source order, that is a syntax error or a token the parser had to invent. */
function firstError(node: Node): Node | undefined {
  if (node.type === 'ERROR' || node.isMissing) return node;
  for (const c of node.children) {
    if (c?.hasError || c?.isMissing) {
      const found = firstError(c);
      if (found) return found;
    }
  }
  return undefined;
}

/** The top level, and each chosen `#if` branch. */
function walk(parent: Node, h: CHeader): void {
  for (const node of parent.namedChildren) {
    if (!node) continue;
    switch (node.type) {
      case 'comment':
      case 'preproc_include':
      case 'declaration': // extern prototypes: nothing to run
      case 'expression_statement': // DECLARE_TRACEPOINT(name);: the tracepoints are off
      case 'identifier': // the name of the #ifdef being walked
        break;
      case 'preproc_def':
      case 'preproc_function_def': {
        const name = node.childForFieldName('name')!.text;
        const params = node.childForFieldName('parameters')?.namedChildren.map((c) => c!.text);
        const body = node.childForFieldName('value')?.text.trim() ?? '';
        h.macros.set(name, {
          name,
          params,
          body,
          where: `${h.file}:${node.startPosition.row + 1}`,
        });
        break;
      }
      case 'preproc_ifdef': {
        // "#ifdef X" or "#ifndef X": X is defined iff an earlier #define says so
        const negated = node.child(0)!.type === '#ifndef';
        const defined = h.macros.has(node.childForFieldName('name')!.text);
        const alternative = node.childForFieldName('alternative');
        if (defined !== negated) walkBranch(node, alternative, h);
        else if (alternative?.type === 'preproc_else') walk(alternative, h);
        else if (alternative)
          h.refuse(alternative, `${alternative.type.replace('preproc_', '#')} is not read`);
        break;
      }
      case 'function_definition': {
        const declarator = functionDeclarator(node, h);
        const name = declarator.childForFieldName('declarator')!.text;
        h.functions.set(name, { name, node });
        break;
      }
      case 'ERROR':
        h.refuse(node, `syntax error: ${JSON.stringify(node.text.slice(0, 40))}`);
        break;
      default:
        h.refuse(node, `${node.type.replaceAll('_', ' ')} is not read (top level of a header)`);
    }
  }
}

/** The first branch of an `#ifdef`: its children before the alternative. */
function walkBranch(node: Node, alternative: Node | null, h: CHeader): void {
  const children = node.namedChildren.filter(
    (c) => c !== null && (alternative === null || !c.equals(alternative)),
  );
  walk({ namedChildren: children } as unknown as Node, h);
}

/** The function_declarator of a definition, through any pointer declarator. */
export function functionDeclarator(fn: Node, h: CHeader): Node {
  let d = fn.childForFieldName('declarator');
  while (d && d.type === 'pointer_declarator') d = d.childForFieldName('declarator');
  if (!d || d.type !== 'function_declarator')
    h.refuse(fn, 'a function definition without a parameter list');
  return d!;
}
