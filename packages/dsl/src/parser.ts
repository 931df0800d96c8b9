// The .bnx grammar as a chevrotain CST parser. Error recovery is on, so one pass reports several syntax
// errors; the visitor only runs on a CST without errors.
import { CstParser, type CstNode, type IRecognitionException, type IToken } from 'chevrotain';
import {
  allTokens,
  Colon,
  Comma,
  Dataset,
  DotDot,
  Experiment,
  GreaterEqual,
  Greater,
  Identifier,
  Import,
  LBracket,
  LCurly,
  LessEqual,
  Less,
  LParen,
  Minus,
  Model,
  Newline,
  NumberLiteral,
  Plus,
  RBracket,
  RCurly,
  Repeat,
  RParen,
  Semicolon,
  Slash,
  Star,
  StringLiteral,
  Sweep,
  Train,
  Variant,
  With,
} from './lexer.js';

export class BnxParser extends CstParser {
  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 2, nodeLocationTracking: 'none' });
    this.performSelfAnalysis();
  }

  public program = this.RULE('program', () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.separator) }, { ALT: () => this.SUBRULE(this.importDecl) }, { ALT: () => this.SUBRULE(this.declaration) }]);
    });
  });

  private separator = this.RULE('separator', () => {
    this.OR([{ ALT: () => this.CONSUME(Newline) }, { ALT: () => this.CONSUME(Semicolon) }]);
  });

  private importDecl = this.RULE('importDecl', () => {
    this.CONSUME(Import);
    this.CONSUME(StringLiteral, { LABEL: 'path' });
  });

  private declaration = this.RULE('declaration', () => {
    this.OR([
      { ALT: () => this.CONSUME(Dataset, { LABEL: 'kind' }) },
      { ALT: () => this.CONSUME(Model, { LABEL: 'kind' }) },
      { ALT: () => this.CONSUME(Train, { LABEL: 'kind' }) },
      { ALT: () => this.CONSUME(Experiment, { LABEL: 'kind' }) },
    ]);
    this.CONSUME(Identifier, { LABEL: 'name' });
    // A model's parameters with their defaults: `model mlp(depth: 2, width: 128) { ... }`.
    this.OPTION(() => this.SUBRULE(this.args, { LABEL: 'params' }));
    this.SUBRULE(this.block);
  });

  /** Statements are separated by at least one newline or ';'. */
  private block = this.RULE('block', () => {
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.separator));
    this.OPTION(() => {
      this.SUBRULE(this.statement);
      this.MANY2(() => {
        this.SUBRULE2(this.separator);
        this.OPTION2(() => this.SUBRULE2(this.statement));
      });
    });
    this.CONSUME(RCurly);
  });

  private statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.variantStatement) },
      { ALT: () => this.SUBRULE(this.sweepStatement) },
      { ALT: () => this.SUBRULE(this.repeatStatement) },
      { ALT: () => this.SUBRULE(this.entry) },
      { ALT: () => this.SUBRULE(this.layer) },
    ]);
  });

  private variantStatement = this.RULE('variantStatement', () => {
    this.CONSUME(Variant);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });

  private sweepStatement = this.RULE('sweepStatement', () => {
    this.CONSUME(Sweep);
    this.SUBRULE(this.key);
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });

  private repeatStatement = this.RULE('repeatStatement', () => {
    this.CONSUME(Repeat);
    this.SUBRULE(this.expression);
    this.SUBRULE(this.block);
  });

  private entry = this.RULE('entry', () => {
    this.SUBRULE(this.key);
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });

  private layer = this.RULE('layer', () => {
    this.SUBRULE(this.value);
  });

  /** Entry keys may be keywords: an experiment's `train:` entry. */
  private key = this.RULE('key', () => {
    this.OR([
      { ALT: () => this.CONSUME(Identifier, { LABEL: 'word' }) },
      { ALT: () => this.CONSUME(Train, { LABEL: 'word' }) },
      { ALT: () => this.CONSUME(Model, { LABEL: 'word' }) },
      { ALT: () => this.CONSUME(Dataset, { LABEL: 'word' }) },
      { ALT: () => this.CONSUME(Experiment, { LABEL: 'word' }) },
    ]);
  });

  /** An expression, optionally followed by a range end, a `with` transform or a comparison. */
  private value = this.RULE('value', () => {
    this.SUBRULE(this.expression, { LABEL: 'head' });
    this.OPTION(() => {
      this.OR([
        { ALT: () => this.CONSUME(DotDot, { LABEL: 'tail' }) },
        { ALT: () => this.CONSUME(With, { LABEL: 'tail' }) },
        { ALT: () => this.CONSUME(GreaterEqual, { LABEL: 'tail' }) },
        { ALT: () => this.CONSUME(LessEqual, { LABEL: 'tail' }) },
        { ALT: () => this.CONSUME(Greater, { LABEL: 'tail' }) },
        { ALT: () => this.CONSUME(Less, { LABEL: 'tail' }) },
      ]);
      this.SUBRULE2(this.expression, { LABEL: 'rest' });
    });
  });

  private expression = this.RULE('expression', () => {
    this.SUBRULE(this.term, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Plus, { LABEL: 'operators' }) }, { ALT: () => this.CONSUME(Minus, { LABEL: 'operators' }) }]);
      this.SUBRULE2(this.term, { LABEL: 'operands' });
    });
  });

  private term = this.RULE('term', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([{ ALT: () => this.CONSUME(Star, { LABEL: 'operators' }) }, { ALT: () => this.CONSUME(Slash, { LABEL: 'operators' }) }]);
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  private unary = this.RULE('unary', () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Minus, { LABEL: 'sign' });
          this.SUBRULE(this.unary, { LABEL: 'operand' });
        },
      },
      { ALT: () => this.SUBRULE(this.primary) },
    ]);
  });

  private primary = this.RULE('primary', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.parenthesized) },
      { ALT: () => this.SUBRULE(this.callOrName) },
    ]);
  });

  private parenthesized = this.RULE('parenthesized', () => {
    this.CONSUME(LParen);
    this.SUBRULE(this.expression);
    this.CONSUME(RParen);
  });

  private list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value, { LABEL: 'items' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.value, { LABEL: 'items' });
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  private callOrName = this.RULE('callOrName', () => {
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.OPTION(() => this.SUBRULE(this.args));
  });

  private args = this.RULE('args', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.argument, { LABEL: 'items' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.argument, { LABEL: 'items' });
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RParen);
  });

  private argument = this.RULE('argument', () => {
    this.OPTION(() => {
      this.CONSUME(Identifier, { LABEL: 'name' });
      this.CONSUME(Colon);
    });
    this.SUBRULE(this.value);
  });
}

/** One shared instance: building the grammar is the expensive part, reusing it is cheap. */
let shared: BnxParser | undefined;

export function sharedParser(): BnxParser {
  shared ??= new BnxParser();
  return shared;
}

export interface ParseResult {
  cst: CstNode;
  errors: IRecognitionException[];
}

export function parseTokens(tokens: IToken[]): ParseResult {
  const parser = sharedParser();
  parser.input = tokens;
  const cst = parser.program();
  return { cst, errors: parser.errors };
}
