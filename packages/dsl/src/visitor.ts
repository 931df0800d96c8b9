// CST → AST: turns chevrotain's concrete tree into the plain AST of ast.ts, with a 1-based source range on
// every node. Only called on a CST that parsed without errors.
import type { CstChildrenDictionary, CstNode, IToken } from 'chevrotain';
import type { SourceRange } from '@bnx/ir';
import type { Argument, BinaryOperator, CompareOperator, Declaration, DeclarationKind, Expr, FileAst, ImportDecl, Statement } from './ast.js';
import { sharedParser } from './parser.js';

const NONE: never[] = [];

// Every label in the grammar holds only tokens or only nodes, so the children need no filtering.
function nodes(ctx: CstChildrenDictionary, label: string): CstNode[] {
  return (ctx[label] as CstNode[] | undefined) ?? NONE;
}
function tokens(ctx: CstChildrenDictionary, label: string): IToken[] {
  return (ctx[label] as IToken[] | undefined) ?? NONE;
}
function node(ctx: CstChildrenDictionary, label: string): CstNode {
  const found = nodes(ctx, label)[0];
  if (found === undefined) throw new Error(`bnx parser: CST node '${label}' missing`);
  return found;
}
function token(ctx: CstChildrenDictionary, label: string): IToken {
  const found = tokens(ctx, label)[0];
  if (found === undefined) throw new Error(`bnx parser: CST token '${label}' missing`);
  return found;
}

export function tokenRange(file: string, t: IToken): SourceRange {
  return {
    file,
    start: { line: t.startLine ?? 1, column: t.startColumn ?? 1, offset: t.startOffset },
    end: { line: t.endLine ?? t.startLine ?? 1, column: (t.endColumn ?? t.startColumn ?? 0) + 1, offset: (t.endOffset ?? t.startOffset) + 1 },
  };
}

/** A range from the start of `from` to the end of `to`. */
export function spanRange(from: SourceRange, to: SourceRange): SourceRange {
  return { file: from.file, start: from.start, end: to.end };
}

/** Numbers in the source are decimal; the lexer guarantees the shape, so Number() is exact enough. */
function unquote(image: string): string {
  return image.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
}

const BaseVisitor = sharedParser().getBaseCstVisitorConstructor();

class AstBuilder extends BaseVisitor {
  /** The file whose CST is being visited; set by buildAst before each visit. */
  file = '';

  constructor() {
    super();
    this.validateVisitor();
  }

  /** From a block's '{' to its '}': the parser tracks no node locations (that costs a fifth of parsing). */
  private blockRange(block: CstNode): SourceRange {
    return spanRange(tokenRange(this.file, token(block.children, 'LCurly')), tokenRange(this.file, token(block.children, 'RCurly')));
  }

  program(ctx: CstChildrenDictionary): FileAst {
    return {
      file: this.file,
      imports: nodes(ctx, 'importDecl').map((n) => this.visit(n) as ImportDecl),
      declarations: nodes(ctx, 'declaration').map((n) => this.visit(n) as Declaration),
    };
  }

  separator(): undefined {
    return undefined;
  }

  importDecl(ctx: CstChildrenDictionary): ImportDecl {
    const path = token(ctx, 'path');
    const pathRange = tokenRange(this.file, path);
    return { path: unquote(path.image), pathRange, range: spanRange(tokenRange(this.file, token(ctx, 'Import')), pathRange) };
  }

  declaration(ctx: CstChildrenDictionary): Declaration {
    const kind = token(ctx, 'kind');
    const name = token(ctx, 'name');
    const block = node(ctx, 'block');
    const declaration: Declaration = {
      kind: kind.image as DeclarationKind,
      name: name.image,
      nameRange: tokenRange(this.file, name),
      body: this.visit(block) as Statement[],
      range: spanRange(tokenRange(this.file, kind), this.blockRange(block)),
    };
    const params = nodes(ctx, 'params')[0];
    if (params !== undefined) {
      const range = spanRange(tokenRange(this.file, token(params.children, 'LParen')), tokenRange(this.file, token(params.children, 'RParen')));
      declaration.params = { args: nodes(params.children, 'items').map((n) => this.visit(n) as Argument), range };
    }
    return declaration;
  }

  block(ctx: CstChildrenDictionary): Statement[] {
    return nodes(ctx, 'statement').map((n) => this.visit(n) as Statement);
  }

  statement(ctx: CstChildrenDictionary): Statement {
    const inner =
      nodes(ctx, 'variantStatement')[0] ?? nodes(ctx, 'sweepStatement')[0] ?? nodes(ctx, 'repeatStatement')[0] ?? nodes(ctx, 'entry')[0] ?? node(ctx, 'layer');
    return this.visit(inner) as Statement;
  }

  variantStatement(ctx: CstChildrenDictionary): Statement {
    const name = token(ctx, 'name');
    const value = this.visit(node(ctx, 'value')) as Expr;
    return {
      kind: 'variant',
      name: name.image,
      nameRange: tokenRange(this.file, name),
      value,
      range: spanRange(tokenRange(this.file, token(ctx, 'Variant')), value.range),
    };
  }

  sweepStatement(ctx: CstChildrenDictionary): Statement {
    const key = this.visit(node(ctx, 'key')) as IToken;
    const value = this.visit(node(ctx, 'value')) as Expr;
    return {
      kind: 'sweep',
      key: key.image,
      keyRange: tokenRange(this.file, key),
      value,
      range: spanRange(tokenRange(this.file, token(ctx, 'Sweep')), value.range),
    };
  }

  repeatStatement(ctx: CstChildrenDictionary): Statement {
    const count = this.visit(node(ctx, 'expression')) as Expr;
    const block = node(ctx, 'block');
    return {
      kind: 'repeat',
      count,
      body: this.visit(block) as Statement[],
      range: spanRange(tokenRange(this.file, token(ctx, 'Repeat')), this.blockRange(block)),
    };
  }

  entry(ctx: CstChildrenDictionary): Statement {
    const key = this.visit(node(ctx, 'key')) as IToken;
    const keyRange = tokenRange(this.file, key);
    const value = this.visit(node(ctx, 'value')) as Expr;
    return { kind: 'entry', key: key.image, keyRange, value, range: spanRange(keyRange, value.range) };
  }

  layer(ctx: CstChildrenDictionary): Statement {
    const value = this.visit(node(ctx, 'value')) as Expr;
    return { kind: 'layer', value, range: value.range };
  }

  key(ctx: CstChildrenDictionary): IToken {
    return token(ctx, 'word');
  }

  value(ctx: CstChildrenDictionary): Expr {
    const head = this.visit(node(ctx, 'head')) as Expr;
    const tail = tokens(ctx, 'tail')[0];
    if (tail === undefined) return head;
    const rest = this.visit(node(ctx, 'rest')) as Expr;
    const range = spanRange(head.range, rest.range);
    switch (tail.image) {
      case '..':
        return { kind: 'range', from: head, to: rest, range };
      case 'with':
        return { kind: 'with', base: head, transform: rest, range };
      default:
        return { kind: 'compare', op: tail.image as CompareOperator, left: head, right: rest, range };
    }
  }

  expression(ctx: CstChildrenDictionary): Expr {
    return this.binaryChain(ctx);
  }

  term(ctx: CstChildrenDictionary): Expr {
    return this.binaryChain(ctx);
  }

  /** Left-associative: a - b - c is (a - b) - c. */
  private binaryChain(ctx: CstChildrenDictionary): Expr {
    const operands = nodes(ctx, 'operands').map((n) => this.visit(n) as Expr);
    const operators = tokens(ctx, 'operators');
    let result = operands[0]!;
    operators.forEach((op, i) => {
      const right = operands[i + 1]!;
      result = { kind: 'binary', op: op.image as BinaryOperator, left: result, right, range: spanRange(result.range, right.range) };
    });
    return result;
  }

  unary(ctx: CstChildrenDictionary): Expr {
    const sign = tokens(ctx, 'sign')[0];
    if (sign === undefined) return this.visit(node(ctx, 'primary')) as Expr;
    const operand = this.visit(node(ctx, 'operand')) as Expr;
    const range = spanRange(tokenRange(this.file, sign), operand.range);
    // A literal's sign belongs to the literal, so `-5` stays one number whose range covers the sign.
    if (operand.kind === 'number') return { kind: 'number', value: -operand.value, text: `-${operand.text}`, range };
    return { kind: 'negate', operand, range };
  }

  primary(ctx: CstChildrenDictionary): Expr {
    const num = tokens(ctx, 'NumberLiteral')[0];
    if (num !== undefined) return { kind: 'number', value: Number(num.image), text: num.image, range: tokenRange(this.file, num) };
    const str = tokens(ctx, 'StringLiteral')[0];
    if (str !== undefined) return { kind: 'string', value: unquote(str.image), range: tokenRange(this.file, str) };
    const inner = nodes(ctx, 'list')[0] ?? nodes(ctx, 'parenthesized')[0] ?? node(ctx, 'callOrName');
    return this.visit(inner) as Expr;
  }

  parenthesized(ctx: CstChildrenDictionary): Expr {
    const inner = this.visit(node(ctx, 'expression')) as Expr;
    // The parentheses widen the range so a diagnostic underlines what was written.
    return { ...inner, range: spanRange(tokenRange(this.file, token(ctx, 'LParen')), tokenRange(this.file, token(ctx, 'RParen'))) };
  }

  list(ctx: CstChildrenDictionary): Expr {
    return {
      kind: 'list',
      items: nodes(ctx, 'items').map((n) => this.visit(n) as Expr),
      range: spanRange(tokenRange(this.file, token(ctx, 'LBracket')), tokenRange(this.file, token(ctx, 'RBracket'))),
    };
  }

  callOrName(ctx: CstChildrenDictionary): Expr {
    const name = token(ctx, 'name');
    const nameRange = tokenRange(this.file, name);
    const args = nodes(ctx, 'args')[0];
    if (args === undefined) return { kind: 'name', name: name.image, range: nameRange };
    const argCtx = args.children;
    return {
      kind: 'call',
      callee: name.image,
      calleeRange: nameRange,
      args: nodes(argCtx, 'items').map((n) => this.visit(n) as Argument),
      range: spanRange(nameRange, tokenRange(this.file, token(argCtx, 'RParen'))),
    };
  }

  args(): undefined {
    return undefined;
  }

  argument(ctx: CstChildrenDictionary): Argument {
    const value = this.visit(node(ctx, 'value')) as Expr;
    const name = tokens(ctx, 'name')[0];
    if (name === undefined) return { value, range: value.range };
    const nameRange = tokenRange(this.file, name);
    return { name: name.image, nameRange, value, range: spanRange(nameRange, value.range) };
  }
}

let builder: AstBuilder | undefined;

/** Builds the AST of one file from its error-free CST. */
export function buildAst(cst: CstNode, file: string): FileAst {
  builder ??= new AstBuilder();
  builder.file = file;
  return builder.visit(cst) as FileAst;
}
