/**
 * The grammar of herd7 C litmus tests, for peggy.
 *
 * Comments: outside code (before the init block, inside it, between processes and in the
 * final condition) `(* … *)`, `/* … *\/` and `// …`; inside a process only C's `/* … *\/`
 * and `// …`, because there `(*x` is a parenthesised dereference (`READ_ONCE(*x)`). An
 * unterminated `(*` is an error at its start, never a scan to the end of the file from every
 * position (which made parsing quadratic).
 *
 * The grammar reads a little more than herd7 7.58 does (hex constants in code, `&&`, C
 * comments in the init block, `unsigned`, …): each such construct is noted where it is
 * (`herd`, then LitmusTest.herd7Refuses), so that `check` can warn that herd7 would refuse
 * the file. The rules that differ from herd7's cite the herdtools7 file they follow.
 *
 * Names and arities are not checked here (validate.ts does, with the declarations in hand);
 * integers are, since their text is all there is to check: 32 bits, signed or unsigned.
 */
export const LITMUS_GRAMMAR = String.raw`
{{
  function at(loc) { return { line: loc.start.line, column: loc.start.column }; }
  function propChain(kind, head, tail) {
    return tail.reduce((left, [, , , right]) => ({ kind, left, right }), head);
  }
  const MAX = 4294967295;
  // herd7 7.58 reads constants with OCaml's Int32.of_string: decimal up to 2^31 - 1
  const INT32_MAX = 2147483647;
  // the types herd7's C lexer and parser know (lib/CLexer.mll tr_name, lib/CParser.mly base0)
  const HERD_TYPES = /^(int|char|long|void|atomic_int|intptr_t|uintptr_t|u?int(8|16|32|64)_t|__u?int128(_t)?|mtx_t|spinlock_t|atomic_t|struct srcu_struct)$/;
  /**
   * herd7 runs a while loop's body at most UNROLL times (herd7 -unroll, default 2 for C:
   * herd/opts.ml); the test that would start one more iteration ends the process with a
   * cutoff (herd/CSem.ml, While), and herd7 drops the executions that reach it.
   * "while (c) s" becomes "if (c) { s; if (c) { s; if (c) cutoff; } }": the nested ifs carry
   * the control dependencies that CSem's nested tests do.
   */
  const UNROLL = 2;
  function unrollWhile(cond, body, at) {
    let loop = { kind: 'if', cond, then: [{ kind: 'cutoff', at }], else: [], loop: true, at };
    for (let i = 0; i < UNROLL; i++)
      loop = { kind: 'if', cond, then: [...body, loop], else: [], loop: true, at };
    return loop;
  }
  const HERD_BINARY = { '%': 'x - (x / y) * y', '<<': 'a multiplication', '>>': 'a division', '&&': 'nested ifs, or (a != 0) & (b != 0)', '||': 'if/else, or (a != 0) | (b != 0)' };
}}

{
  // Constructs that herd7 7.58's C front end refuses (lib/CLexer.mll, lib/CParser.mly),
  // collected for parse.ts to turn into warnings. An action may run again when the parser
  // backtracks over it; parse.ts drops the duplicates.
  const herdNotes = options.herdNotes ?? [];
  function herd(loc, what) { herdNotes.push({ line: loc.start.line, column: loc.start.column, what }); }
  function herdType(type, loc) {
    const bare = type.replace(/\b(const|volatile|_Atomic)\b/g, ' ').replace(/\s+/g, ' ').trim();
    if (!HERD_TYPES.test(bare)) herd(loc, 'herd7 does not know the type ' + bare + ': its C parser takes int, char, long, intptr_t, int8_t … uint64_t, atomic_t, spinlock_t');
  }
  function chain(head, tail) {
    return tail.reduce(
      (left, [, op, , right]) => ({ kind: 'binary', op, left, right, at: left.at }),
      head,
    );
  }
  /** herd7's ==, !=, <, <=, > and >= are one non-associative level: a == b == c is refused. */
  function comparisons(head, tail) {
    if (tail.length > 1) herd(location(), "herd7's comparisons do not chain: parenthesise one");
    return chain(head, tail);
  }
  /** A binary operator: herd7 lacks some, and lexes "-1" after an operand as a constant. */
  function binaryOp(op) {
    const loc = location();
    if (HERD_BINARY[op]) herd(loc, "herd7's C has no operator " + op + ': write ' + HERD_BINARY[op]);
    // ocamllex takes the longest token: in "r0 -1" herd7 sees a register, then the constant -1
    if (op === '-' && /[0-9]/.test(input[loc.end.offset] ?? ''))
      herd(loc, 'herd7 lexes -' + input[loc.end.offset] + '… here as a negative constant and refuses the expression: write a space after the minus');
    return op;
  }
}

Test
  = O arch:Arch O1 name:TestName O (Info O)* init:Init B procs:Process|1.., B| B (Regions B)?
    Constraints locations:Locations? S filter:Filter? S cond:Condition? S {
      // no condition: herd7's ConstrGen.constr_true, forall (true)
      cond ??= { quantifier: 'forall', condition: { kind: 'const', value: true }, at: at(location()) };
      return {
        arch: arch.name, name, ...init, processes: procs, locations: locations ?? [],
        filter: filter ?? undefined, ...cond, at: { arch: arch.at, condition: cond.at },
      };
    }

Arch = name:Ident { return { name, at: at(location()) }; }
TestName "test name" = name:$[^ \t\r\n]+ {
    // herd7's splitter takes a name's first run of these characters, and skips the rest
    const herdName = /^[A-Za-z0-9_\/.+\[\]-]*/.exec(name)[0];
    if (herdName !== name)
      herd(location(), herdName ? 'herd7 names this test ' + herdName + ': a name takes letters, digits and _ / . - + [ ]' : "herd7 refuses this test's name: a name takes letters, digits and _ / . - + [ ]");
    return name;
  }

// where herd7's splitter should find the code's end: the first keyword of the condition
Constraints = "" { if (options.herdSections) options.herdSections.constraints = location().start.offset; }

// a (texname), diy7's doc string and key=value lines between the name and the init block
// (herd7's splitter; it keeps only Hash, which is not ours to print)
Info = "\"" [^"\n]* "\"" / Ident [ \t]* "=" [^\n]* / "(" !"*" [^)\n]* ")"

// herd7's memory map for GPU models (lib/scopeRules.mly, top_memory_map), in the code
// section: "regions: x:global, y:shared"; no LKMM set reads it, so herd7 and pageref ignore it
Regions = "regions" _ ":" _ (Ident _ ":" (_ !SplitterKeyword Ident !(_ ":"))+)|.., _ "," _|
SplitterKeyword = ("exists" / "forall" / "final" / "locations" / "filter" / "observed" / "cases") !IdentChar

// ---- the init block (outside code) ----

Init
  = "{" S items:InitItem|.., S (";" S)+| S (";" S)* "}" {
      if (options.herdSections) options.herdSections.code = location().end.offset;
      const init = [], registerInit = [];
      for (const item of items) (item.thread === undefined ? init : registerInit).push(item);
      return { init, registerInit };
    }

InitItem
  = thread:Int ":" name:Ident S "=" S value:InitValue {
      return { thread, name, value, at: at(location()) };
    }
  / words:InitWord|1.., S| S value:("=" S v:InitValue { return v; })? {
      const last = words[words.length - 1];
      if (last === '*') error('expected a location name after "*"');
      const type = words.slice(0, -1).join(' ').replace(/ \*/g, '*');
      // herd7's state parser takes a type of one name, then at most one * (atom_init)
      const typeWords = words.slice(0, -1).filter((w) => w !== '_Atomic');
      if (typeWords.filter((w) => w !== '*').length > 1 || typeWords.filter((w) => w === '*').length > 1 || typeWords[0] === '*' && typeWords.length > 1)
        herd(location(), 'herd7 takes a type of one word and one * at most in the init block (lib/stateParser.mly), not ' + type);
      if (typeWords.some((w) => /^(u?int64_t|__u?int128(_t)?)$/.test(w)))
        herd(location(), 'herd7 7.58 refuses a 64- or 128-bit type in the init block ("mask 32 bit value … with quad mask"): declare ' + last + ' as a parameter only, or as long');
      if (typeWords.length === 0 && /^ATOMIC_INIT/.test(text().replace(/^[^=]*=\s*/, '')))
        herd(location(), 'herd7 takes ATOMIC_INIT after a type only: write atomic_t ' + last + ' = ATOMIC_INIT(…)');
      return { name: last, type, value: value ?? 0, at: at(location()) };
    }

InitWord = "*" / "[" S n:Ident S "]" { return n; } / Ident

InitValue
  = "ATOMIC_INIT" S "(" S v:SignedInt S ")" { return v; }
  / SignedInt
  / "&" S name:Ident { return name; }
  / Ident

// ---- processes (code: C comments only) ----

// herd7 allows "void" or "void *" before the name (lib/CParser.mly, voidopt)
Process
  = ("void" !IdentChar _ ("*" _)?)? "P" id:Int _ "(" _ params:Param|.., _ "," _| _ ")" _ body:Block {
      return { id, params, body, at: at(location()) };
    }

Param = words:ParamWord|1.., _| {
    const last = words[words.length - 1];
    if (last === '*') error('expected a parameter name after "*"');
    const type = words.slice(0, -1).join(' ').replace(/ \*/g, '*');
    if (!type.endsWith('*')) herd(location(), 'herd7 takes pointers only as parameters: write ' + type + ' *' + last);
    else herdType(type.replace(/\*+$/, ''), location());
    return { name: last, type, at: at(location()) };
  }
ParamWord = "*" / Ident

Block = "{" _ stmts:(Statement _)* "}" {
    if (stmts.length === 0) herd(location(), 'herd7 refuses an empty block: write at least one statement');
    return stmts.flatMap(([s]) => s);
  }

Statement
  = Block
  / "if" !IdentChar _ "(" _ cond:Expr _ ")" _ then:Statement _ els:("else" !IdentChar _ Statement)? {
      return [{ kind: 'if', cond, then, else: els ? els[3] : [], at: at(location()) }];
    }
  // herd7's while (lib/CParser.mly: WHILE expr0 block_ins), unrolled as herd/CSem.ml does
  / "while" !IdentChar _ cond:WhileTest _ body:Statement {
      return [unrollWhile(cond, body, at(location()))];
    }
  / kw:$("for" / "do" / "goto" / "return" / "switch" / "break" / "continue") !IdentChar {
      error(kw + " statements are not supported, as herd7's C has none: write a while loop, or if/else");
    }
  / type:$Type _ decls:Declarator|1.., _ "," _| _ ";" {
      herdType(type, location());
      if (decls.length > 1)
        herd(location(), 'herd7 declares one register per declaration: write ' + decls.map((d) => type.replace(/\s+/g, ' ') + ' ' + (d.pointer ? '*' : '') + d.name + ';').join(' '));
      return decls.map((d) => ({ ...d, type: type.replace(/\s+/g, ' ') }));
    }
  / "*" _ pointer:Unary _ "=" !"=" _ expr:Expr _ ";" {
      return [{ kind: 'store', pointer, expr, at: at(location()) }];
    }
  / name:Ident _ op:$("++" / "--" / ([-+*/%&|^] / "<<" / ">>") "=") {
      const by = op === '++' ? '+ 1' : op === '--' ? '- 1' : op.slice(0, -1) + ' …';
      error(name + ' ' + op + ' is not supported: write ' + name + ' = ' + name + ' ' + by);
    }
  / op:$("++" / "--") _ name:Ident {
      error(op + name + ' is not supported: write ' + name + ' = ' + name + ' ' + op[0] + ' 1');
    }
  / name:Ident _ "=" !"=" _ expr:Expr _ ";" {
      return [{ kind: 'assign', name, expr, at: at(location()) }];
    }
  / "codevar:" Ident {
      error("herd7 refuses codevar: in a test it runs (herd/CSem.ml: No symbolic instructions allowed)");
    }
  // herd7's __fence{F}; (lib/CParser.mly, UNDERFENCE), without parentheses
  / "__fence" !IdentChar _ annot:Annot _ ";" {
      return [{ kind: 'expr', expr: { kind: 'call', name: '__fence' + annot, args: [], at: at(location()) }, at: at(location()) }];
    }
  / expr:Expr _ ";" { return [{ kind: 'expr', expr, at: at(location()) }]; }
  / ";" { herd(location(), 'herd7 has no empty statement: delete the ";"'); return []; }

// herd7's expr0: a parenthesised expression, a name, a constant or *name
WhileTest
  = "(" _ e:Expr _ ")" { return e; }
  / "*" _ name:Ident { return { kind: 'deref', pointer: { kind: 'var', name, at: at(location()) }, at: at(location()) }; }
  / name:Ident { return { kind: 'var', name, at: at(location()) }; }
  / value:SignedInt { return { kind: 'num', value, at: at(location()) }; }

Type "type"
  = (("const" / "volatile" / "_Atomic") !IdentChar _)*
    ( ("unsigned" / "signed") !IdentChar (_ BaseType)?
    / "struct" !IdentChar _ Ident
    / BaseType )

BaseType
  // a PEG choice commits to its first match: "intptr_t" must come before its prefix "int"
  // (herd7's lib/CLexer.mll tr_name lists the sized types; values here stay 32-bit)
  = ("int8_t" / "uint8_t" / "int16_t" / "uint16_t" / "int32_t" / "uint32_t" / "int64_t" / "uint64_t"
    / "__int128_t" / "__uint128_t" / "__int128" / "__uint128" / "intptr_t" / "uintptr_t"
    / "int" / "long" _ "long" / "long" / "short" / "char" / "atomic_t" / "atomic_int" / "atomic_long_t"
    / "spinlock_t" / "mtx_t" / "u8" / "u16" / "u32" / "u64" / "s8" / "s16" / "s32" / "s64" / "bool"
    / "void") !IdentChar

Declarator = stars:("*" _)* name:Ident _ init:("=" !"=" _ e:Expr { return e; })? {
  return { kind: 'decl', name, pointer: stars.length > 0, init: init ?? undefined, at: at(location()) };
}

Expr = e:LogicalOr q:(_ "?")? {
    if (q) error('the conditional operator ?: is not supported: use if/else');
    return e;
  }
LogicalOr = head:LogicalAnd tail:(_ (o:$("||") { return binaryOp(o); }) _ LogicalAnd)* { return chain(head, tail); }
LogicalAnd = head:BitOr tail:(_ (o:$("&&") { return binaryOp(o); }) _ BitOr)* { return chain(head, tail); }
BitOr = head:BitXor tail:(_ (o:$("|" ![|=]) { return binaryOp(o); }) _ BitXor)* { return chain(head, tail); }
BitXor = head:BitAnd tail:(_ (o:$("^" !"=") { return binaryOp(o); }) _ BitAnd)* { return chain(head, tail); }
BitAnd = head:Equality tail:(_ (o:$("&" ![&=]) { return binaryOp(o); }) _ Equality)* { return chain(head, tail); }
Equality = head:Relational tail:(_ (o:$("==" / "!=") { return binaryOp(o); }) _ Relational)* { return comparisons(head, tail); }
Relational = head:Shift tail:(_ (o:$("<=" / ">=" / "<" ![<] / ">" ![>]) { return binaryOp(o); }) _ Shift)* { return comparisons(head, tail); }
Shift = head:Additive tail:(_ (o:$("<<" / ">>") { return binaryOp(o); }) _ Additive)* { return chain(head, tail); }
Additive = head:Multiplicative tail:(_ (o:$([+-] ![-+=]) { return binaryOp(o); }) _ Multiplicative)* { return chain(head, tail); }
Multiplicative = head:Unary tail:(_ (o:$([*/%] !"=") { return binaryOp(o); }) _ Unary)* { return chain(head, tail); }

Unary
  = op:$[!~-] _ operand:Unary {
      const loc = location();
      // herd7's lexer reads -1 as one constant; it has no unary operator
      if (op !== '-' || operand.kind !== 'num' || !/[0-9]/.test(input[loc.start.offset + 1]))
        herd(loc, "herd7's C has no unary " + op + ': write ' + (op === '!' ? '(e) == 0' : op === '~' ? '(e) ^ -1' : '0 - e'));
      return { kind: 'unary', op, operand, at: at(loc) };
    }
  / "*" _ pointer:Unary {
      // herd7 loads from *name or *(expression) only (lib/CParser.mly, expr0 and expr1)
      const loc = location();
      if (!/^\*\s*[A-Za-z_(]/.test(text())) herd(loc, 'herd7 dereferences a name or a parenthesised expression only: write *(' + text().slice(1).trim() + ')');
      return { kind: 'deref', pointer, at: at(loc) };
    }
  / "&" _ name:Ident {
      herd(location(), "herd7's C has no & operator: pass " + name + ' as a parameter (P0(int *' + name + ')) and write ' + name);
      return { kind: 'addr', name, at: at(location()) };
    }
  // a cast changes no value here: (int **)READ_ONCE(*y)
  / "(" _ type:$Type _ ("*" _)* ")" _ operand:Unary { herdType(type, location()); return operand; }
  / Primary

Primary
  = "constvar:" Ident {
      error("constvar: names a symbolic constant, which herd7's test generators use and pageref does not run: write a number");
    }
  / value:Int {
      if (/^0x/i.test(text()))
        herd(location(), "herd7's C lexer reads decimal constants only: write " + value + ' for ' + text());
      return { kind: 'num', value, at: at(location()) };
    }
  / Internal
  / name:Ident _ "(" _ args:Expr|.., _ "," _| _ ")" { return { kind: 'call', name, args, at: at(location()) }; }
  / Ident _ op:$("[" / "->") {
      error((op === '[' ? 'arrays' : 'structures') + ' are not supported: use one location per value');
    }
  / name:Ident { return { kind: 'var', name, at: at(location()) }; }
  / "(" _ e:Expr _ ")" { return e; }

// herd7's internal forms, which linux-kernel.def's macros expand to (lib/CParser.mly; their
// meanings are in primitives.ts): the annotation is part of the name, and so is an atomic
// op's operator, "__atomic_op{NORETURN}(x, +, 1)" calling "__atomic_op{NORETURN}(…,+,…)"
Internal
  = form:$("__" ("atomic_op_return" / "atomic_fetch_op" / "atomic_op")) !IdentChar _ annot:Annot _
    "(" _ loc:Expr _ "," _ op:$("&" _ "~" / [-+&|^]) _ "," _ value:Expr _ ")" {
      const name = form + annot + '(…,' + op.replace(/\s+/g, '') + ',…)';
      return { kind: 'call', name, args: [loc, value], at: at(location()) };
    }
  / form:$("__" ("load" / "store" / "xchg" / "cmpxchg" / "srcu" / "atomic_add_unless")) !IdentChar _ annot:Annot _
    "(" _ args:Expr|.., _ "," _| _ ")" {
      return { kind: 'call', name: form + annot, args, at: at(location()) };
    }

// herd7's annot_list: names joined by "-", separated by ","
Annot = "{" _ names:AnnotItem|1.., _ "," _| _ "}" { return '{' + names.join(',') + '}'; }
AnnotItem = item:$(AnnotName (_ "-" _ AnnotName)*) { return item.replace(/\s+/g, ''); }
AnnotName = [A-Za-z_] IdentChar*

// ---- after the processes (outside code) ----

Locations = "locations" !IdentChar S "[" S items:(l:CondLoc S (";" S)* { return l; })* "]" { return items; }

Filter = "filter" !IdentChar S prop:Prop { return prop; }

Condition
  = q:Quantifier S prop:Prop S (";" S)? { return { quantifier: q, condition: prop, at: at(location()) }; }

// herd7's "final p" is "exists p" (lib/stateParser.mly, FINAL)
Quantifier
  = "~" S "exists" !IdentChar { return '~exists'; }
  / q:$("exists" / "forall") !IdentChar { return q; }
  / "final" !IdentChar { return 'exists'; }

// herd7's precedences (lib/stateParser.mly: %left OR, %left AND, %right IMPLIES, %nonassoc
// NOT): => binds tighter than /\ and nests to the right, so a /\ b => c => d is
// a /\ (b => (c => d))
Prop = PropOr
PropOr = head:PropAnd tail:(S "\\/" S PropAnd)* { return propChain('or', head, tail); }
PropAnd = head:PropImplies tail:(S "/\\" S PropImplies)* { return propChain('and', head, tail); }
PropImplies
  = left:PropNot S "=>" S right:PropImplies { return { kind: 'implies', left, right }; }
  / PropNot
PropNot
  = ("~" / "not" !IdentChar) S prop:PropNot { return { kind: 'not', prop }; }
  / "(" S p:Prop S ")" { return p; }
  / "true" !IdentChar { return { kind: 'const', value: true }; }
  / "false" !IdentChar { return { kind: 'const', value: false }; }
  // (herd7's state lexer reads <> as !=)
  / left:CondLoc S op:$("==" / "!=" / "<>" / "=") S right:CondValue {
      return { kind: 'atom', op: op === '!=' || op === '<>' ? '!=' : '==', left, right };
    }

CondLoc
  = thread:Int ":" name:Ident { return { kind: 'reg', thread, name, at: at(location()) }; }
  / ("[" S name:Ident S "]" { return name; } / "*" S name:Ident { return name; } / Ident) {
      // location() spans the whole alternative; a name in brackets is the same place
      const t = text(); return { kind: 'loc', name: t.replace(/[\[\]*\s]/g, ''), at: at(location()) };
    }

CondValue
  = CondReg
  / value:SignedInt { return { kind: 'num', value, at: at(location()) }; }
  / "[" S name:Ident S "]" { return { kind: 'loc', name, at: at(location()) }; }
  / "*" S name:Ident { return { kind: 'loc', name, at: at(location()) }; }
  / "&"? S name:Ident { return { kind: 'addr', name, at: at(location()) }; }

CondReg = thread:Int ":" name:Ident { return { kind: 'reg', thread, name, at: at(location()) }; }

// ---- lexical ----

Ident "identifier" = $([A-Za-z_] IdentChar*)
IdentChar = [A-Za-z0-9_]
Int "integer" = digits:$("0x"i [0-9a-fA-F]+ / [0-9]+) !IdentChar {
    const n = Number(digits);
    if (n > MAX) error('integer ' + digits + ' does not fit in 32 bits (at most 4294967295, or -2147483648 with a minus)');
    // (herd7's lexer reads "-2147483648" as one constant, which fits)
    const negated = n === INT32_MAX + 1 && input[location().start.offset - 1] === '-';
    if (n > INT32_MAX && !/^0x/i.test(digits) && !negated)
      herd(location(), 'herd7 reads a decimal constant as a signed 32-bit integer, at most 2147483647: write ' + (n | 0) + ' for ' + digits);
    return n | 0;
  }
SignedInt = "-" S digits:$("0x"i [0-9a-fA-F]+ / [0-9]+) !IdentChar {
      const n = Number(digits);
      if (n > 2147483648) error('integer -' + digits + ' does not fit in 32 bits (at least -2147483648)');
      return -n | 0;
    }
  / Int

// Code whitespace: C comments only.
_ = (Space / CComment)*
// Outside code: herd's (* *) comments too.
O = (Space / CComment / MLComment)*
// The init block and the constraints are herd7's state syntax, whose lexer knows (* *) only
S = (Space / MLComment / CComment { herd(location(), "herd7 reads (* *) comments only in the init block and the condition (lib/stateLexer.mll): write (* … *)"); })*
// Between the processes herd7's C lexer reads, which knows C's comments only
B = (Space / CComment / MLComment { herd(location(), "herd7 reads C comments only between the processes (lib/CLexer.mll): write /* … */"); })*
O1 "whitespace" = (Space / CComment / MLComment)+ {
    // herd7's splitter reads "C name" on one line, blanks between (lib/splitter.mll)
    if (!/^[ \t\r]+$/.test(text())) herd(location(), "herd7 reads the architecture and the test's name on one line, with blanks between");
  }
Space = [ \t\r\n\f\v]
CComment
  = start:("/*" { return location(); }) (!"*/" .)* ("*/" / !. { error('unterminated /* comment', start); })
  / "//" [^\n]*
// herd7's (* *) comments nest, as OCaml's do (lib/lexUtils.mll, skip_comment)
MLComment
  = start:("(*" { return location(); }) (MLComment / !"*)" .)*
    ("*)" / !. { error('unterminated (* comment', start); })
`;
