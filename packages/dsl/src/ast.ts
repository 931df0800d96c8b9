// The syntax tree of one .bnx file: what was written, with a source range on every node. Nothing is resolved
// yet (names, imports, defaults, repeat): lower.ts does that.
import type { SourceRange } from '@bnx/ir';

export type BinaryOperator = '+' | '-' | '*' | '/';
export type CompareOperator = '>=' | '<=' | '>' | '<';

export type Expr =
  | { kind: 'number'; value: number; text: string; range: SourceRange }
  | { kind: 'string'; value: string; range: SourceRange }
  | { kind: 'name'; name: string; range: SourceRange }
  | { kind: 'list'; items: Expr[]; range: SourceRange }
  | { kind: 'call'; callee: string; calleeRange: SourceRange; args: Argument[]; range: SourceRange }
  | { kind: 'binary'; op: BinaryOperator; left: Expr; right: Expr; range: SourceRange }
  | { kind: 'negate'; operand: Expr; range: SourceRange }
  | { kind: 'range'; from: Expr; to: Expr; range: SourceRange }
  | { kind: 'with'; base: Expr; transform: Expr; range: SourceRange }
  | { kind: 'compare'; op: CompareOperator; left: Expr; right: Expr; range: SourceRange };

export interface Argument {
  /** Absent for a positional argument. */
  name?: string;
  nameRange?: SourceRange;
  value: Expr;
  range: SourceRange;
}

export type Statement =
  | { kind: 'entry'; key: string; keyRange: SourceRange; value: Expr; range: SourceRange }
  | { kind: 'variant'; name: string; nameRange: SourceRange; value: Expr; range: SourceRange }
  | { kind: 'sweep'; key: string; keyRange: SourceRange; value: Expr; range: SourceRange }
  | { kind: 'repeat'; count: Expr; body: Statement[]; range: SourceRange }
  | { kind: 'layer'; value: Expr; range: SourceRange };

export type DeclarationKind = 'dataset' | 'model' | 'train' | 'experiment';

export interface Declaration {
  kind: DeclarationKind;
  name: string;
  nameRange: SourceRange;
  /** `model mlp(depth: 2, width: 128)`: parameters with their defaults (only models take them). */
  params?: { args: Argument[]; range: SourceRange };
  body: Statement[];
  range: SourceRange;
}

export interface ImportDecl {
  /** As written, without quotes. */
  path: string;
  pathRange: SourceRange;
  range: SourceRange;
}

export interface FileAst {
  file: string;
  imports: ImportDecl[];
  declarations: Declaration[];
}
