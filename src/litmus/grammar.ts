/**
 * The grammar of herd7 C litmus tests, for peggy. Comments are `(* … *)`, `/* … *\/` and
 * `// …`. Loops and constructs outside the subset parse as `unsupported` statements, so the
 * reader can name them instead of failing with a generic syntax error.
 */
export const LITMUS_GRAMMAR = String.raw`
{{
  function at(loc) { return { line: loc.start.line, column: loc.start.column }; }
  function chain(head, tail) {
    return tail.reduce((left, [, op, , right]) => ({ kind: 'binary', op, left, right }), head);
  }
}}

Test
  = _ arch:Ident __ name:TestName _ init:Init _ procs:Process|1.., _| _ cond:Condition _ {
      return { arch, name, ...init, processes: procs, ...cond };
    }

TestName = $[^ \t\r\n]+

Init
  = "{" _ items:(InitItem _)* "}" {
      const init = [], registerInit = [];
      for (const [item] of items) (item.thread === undefined ? init : registerInit).push(item);
      return { init, registerInit };
    }

InitItem
  = thread:Int ":" name:Ident _ "=" _ value:Value _ ";" { return { thread, name, value }; }
  / (Type _)? name:Ident _ "=" _ value:Value _ ";" { return { name, value }; }
  / (Type _)? name:Ident _ ";" { return { name, value: 0 }; }

Value = "ATOMIC_INIT" _ "(" _ v:SignedInt _ ")" { return v; } / SignedInt

Type "type" = ("const" __)? ("int" / "atomic_t" / "long" / "unsigned" __ "int" / "unsigned") !IdentChar (_ "*")*

Process
  = "P" id:Int _ "(" _ params:Param|.., _ "," _| _ ")" _ body:Block {
      return { id, params, body, at: at(location()) };
    }

Param = Type _ name:Ident { return name; }

Block = "{" _ stmts:(Statement _)* "}" { return stmts.flatMap(([s]) => s); }

Statement
  = Block
  / "if" _ "(" _ cond:Expr _ ")" _ then:Statement _ els:("else" _ Statement)? {
      return [{ kind: 'if', cond, then, else: els ? els[2] : [] }];
    }
  / kw:$("while" / "for" / "do" / "goto" / "return" / "switch") !IdentChar {
      error(kw + ' statements are not supported (the litmus reader runs straight-line code with if/else)');
    }
  / Type _ decls:Declarator|1.., _ "," _| _ ";" { return decls; }
  / "*" _ name:Ident _ "=" _ expr:Expr _ ";" { return [{ kind: 'store', name, expr, at: at(location()) }]; }
  / name:Ident _ "=" !"=" _ expr:Expr _ ";" { return [{ kind: 'assign', name, expr, at: at(location()) }]; }
  / expr:Expr _ ";" { return [{ kind: 'expr', expr }]; }
  / ";" { return []; }

Declarator = name:Ident _ init:("=" _ Expr)? {
  return { kind: 'decl', name, init: init ? init[2] : undefined, at: at(location()) };
}

Expr = LogicalOr
LogicalOr = head:LogicalAnd tail:(_ "||" _ LogicalAnd)* { return chain(head, tail); }
LogicalAnd = head:BitOr tail:(_ "&&" _ BitOr)* { return chain(head, tail); }
BitOr = head:BitXor tail:(_ $("|" !"|") _ BitXor)* { return chain(head, tail); }
BitXor = head:BitAnd tail:(_ "^" _ BitAnd)* { return chain(head, tail); }
BitAnd = head:Equality tail:(_ $("&" !"&") _ Equality)* { return chain(head, tail); }
Equality = head:Relational tail:(_ $("==" / "!=") _ Relational)* { return chain(head, tail); }
Relational = head:Shift tail:(_ $("<=" / ">=" / "<" !"<" / ">" !">") _ Shift)* { return chain(head, tail); }
Shift = head:Additive tail:(_ $("<<" / ">>") _ Additive)* { return chain(head, tail); }
Additive = head:Multiplicative tail:(_ $[+-] _ Multiplicative)* { return chain(head, tail); }
Multiplicative = head:Unary tail:(_ $[*/%] _ Unary)* { return chain(head, tail); }

Unary
  = op:$[!~-] _ operand:Unary { return { kind: 'unary', op, operand }; }
  / "*" _ name:Ident { return { kind: 'deref', name, at: at(location()) }; }
  / "&" _ name:Ident { return { kind: 'addr', name, at: at(location()) }; }
  / Primary

Primary
  = value:Int { return { kind: 'num', value }; }
  / name:Ident _ "(" _ args:Expr|.., _ "," _| _ ")" { return { kind: 'call', name, args, at: at(location()) }; }
  / name:Ident { return { kind: 'var', name, at: at(location()) }; }
  / "(" _ e:Expr _ ")" { return e; }

Condition
  = q:Quantifier _ body:ConditionBody _ ";"? {
      return { quantifier: q, condition: body.prop, conditionText: q + ' ' + body.text.replace(/\s+/g, ' ') };
    }

ConditionBody = "(" _ prop:Prop _ ")" { return { prop, text: text() }; }

Quantifier = "~" _ "exists" { return '~exists'; } / "exists" / "forall"

Prop = head:PropAnd tail:(_ "\\/" _ PropAnd)* {
  return tail.reduce((left, [, , , right]) => ({ kind: 'or', left, right }), head);
}
PropAnd = head:PropNot tail:(_ "/\\" _ PropNot)* {
  return tail.reduce((left, [, , , right]) => ({ kind: 'and', left, right }), head);
}
PropNot
  = "~" _ prop:PropNot { return { kind: 'not', prop }; }
  / "(" _ p:Prop _ ")" { return p; }
  / "true" !IdentChar { return { kind: 'const', value: true }; }
  / "false" !IdentChar { return { kind: 'const', value: false }; }
  / left:Operand _ op:$("==" / "!=" / "=") _ right:Operand { return { kind: 'atom', op: op === '=' ? '==' : op, left, right }; }

Operand
  = thread:Int ":" name:Ident { return { kind: 'reg', thread, name }; }
  / value:SignedInt { return { kind: 'num', value }; }
  / "[" _ name:Ident _ "]" { return { kind: 'loc', name }; }
  / name:Ident { return { kind: 'loc', name }; }

Ident "identifier" = $([A-Za-z_] IdentChar*)
IdentChar = [A-Za-z0-9_]
Int "integer" = digits:$("0x" [0-9a-fA-F]+ / [0-9]+) { return Number(digits) | 0; }
SignedInt = sign:"-"? value:Int { return sign ? -value | 0 : value; }

__ "whitespace" = (Space / Comment)+
_ = (Space / Comment)*
Space = [ \t\r\n]
Comment = "(*" (!"*)" .)* "*)" / "/*" (!"*/" .)* "*/" / "//" [^\n]*
`;
