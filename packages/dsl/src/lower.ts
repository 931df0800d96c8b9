// AST → ProgramIR: loads imports (relative to the importing file; a cycle is an error that names it),
// checks that names are unique per kind across all files, and lowers every declaration.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic, ProgramIR, SourceRange } from '@bnx/ir';
import type { Declaration, DeclarationKind, FileAst } from './ast.js';
import { dslError } from './codes.js';
import { lowerDataset } from './dataset.js';
import { lowerExperiment } from './experiment.js';
import { lowerModel, type LoweredModel } from './model.js';
import { parseFile } from './parse-file.js';
import { lowerTrain } from './train.js';
import { Diagnostics } from './values.js';

export interface LowerOptions {
  /** Reads an imported file; throws when it cannot. */
  readFile: (path: string) => string;
}

export interface LowerResult {
  program?: ProgramIR;
  diagnostics: Diagnostic[];
  /** The text of every file read, by absolute path, for showing diagnostics. */
  sources: Map<string, string>;
}

function where(range: SourceRange, from: string): string {
  const position = `${range.start.line}:${range.start.column}`;
  return range.file === from ? position : `${range.file}:${position}`;
}

/** Whether `path` is `folder` or lies below it. */
function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The path with its symbolic links resolved, or the path itself when it does not exist on disk. */
export function realPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * Why an import may not be read, or undefined. Only `.bnx` files in the root file's folder or below: an
 * import of `/etc/passwd` would otherwise be parsed, and its lines shown back as syntax errors. The check
 * runs before the file is opened, on the written path and again with symbolic links resolved.
 */
export function importProblem(target: string, rootFolder: string): string | undefined {
  if (!target.endsWith('.bnx')) return 'only .bnx files can be imported';
  const outside = `it is outside the folder of the experiment file (${rootFolder}) and its subfolders, where imports must be`;
  if (!isInside(rootFolder, target)) return outside;
  if (!isInside(realPath(rootFolder), realPath(target))) return `${outside} (a symbolic link leads out of it)`;
  return undefined;
}

/** Loads `ast` and everything it imports, depth first: declarations of imports come before the importer's. */
function collectDeclarations(root: FileAst, options: LowerOptions, diagnostics: Diagnostic[], sources: Map<string, string>): Declaration[] {
  const declarations: Declaration[] = [];
  const loaded = new Set<string>([root.file]);
  const rootFolder = dirname(root.file);
  const visit = (ast: FileAst, chain: string[]) => {
    for (const imp of ast.imports) {
      const target = resolve(dirname(ast.file), imp.path);
      const cycleStart = chain.indexOf(target);
      if (cycleStart !== -1) {
        const cycle = [...chain.slice(cycleStart), target].map((f) => f.split('/').pop()).join(' → ');
        diagnostics.push(dslError('E0110', `import cycle: ${cycle}`, imp.pathRange));
        continue;
      }
      if (loaded.has(target)) continue;
      loaded.add(target);
      const refused = importProblem(target, rootFolder);
      if (refused !== undefined) {
        diagnostics.push(dslError('E0119', `cannot import '${imp.path}': ${refused}`, imp.pathRange));
        continue;
      }
      let text: string;
      try {
        text = options.readFile(target);
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : err instanceof Error ? err.message : String(err);
        const code = (err as NodeJS.ErrnoException).code === 'E_TOO_LARGE' ? 'E0120' : 'E0109';
        diagnostics.push(dslError(code, `cannot read imported file '${imp.path}' (${target}): ${reason}`, imp.pathRange));
        continue;
      }
      sources.set(target, text);
      const parsed = parseFile(text, target);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.ast !== undefined) visit(parsed.ast, [...chain, target]);
    }
    declarations.push(...ast.declarations);
  };
  visit(root, [root.file]);
  return declarations;
}

/** In source order within each file; files in the order their first diagnostic was reported. */
function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of diagnostics) {
    const file = d.range?.file ?? '';
    if (!fileOrder.has(file)) fileOrder.set(file, fileOrder.size);
  }
  const key = (d: Diagnostic) => [fileOrder.get(d.range?.file ?? '') ?? 0, d.range?.start.offset ?? 0] as const;
  return [...diagnostics].sort((a, b) => key(a)[0] - key(b)[0] || key(a)[1] - key(b)[1]);
}

export function lowerProgram(root: FileAst, text: string, options: LowerOptions): LowerResult {
  const sources = new Map<string, string>([[root.file, text]]);
  const importDiagnostics: Diagnostic[] = [];
  const declarations = collectDeclarations(root, options, importDiagnostics, sources);
  const d = new Diagnostics();
  d.list.push(...importDiagnostics);

  const firstByKind = new Map<DeclarationKind, Map<string, Declaration>>();
  const unique: Declaration[] = [];
  for (const decl of declarations) {
    const seen = firstByKind.get(decl.kind) ?? new Map<string, Declaration>();
    firstByKind.set(decl.kind, seen);
    const first = seen.get(decl.name);
    if (first !== undefined) {
      d.list.push({
        ...dslError('E0101', `'${decl.name}' is already declared at ${where(first.nameRange, decl.range.file)}`, decl.nameRange),
        related: [{ message: `first ${decl.kind} '${decl.name}' declared here`, range: first.nameRange }],
      });
      continue;
    }
    seen.set(decl.name, decl);
    unique.push(decl);
  }

  const program: ProgramIR = { file: root.file, datasets: [], models: [], trains: [], experiments: [] };
  const models = new Map<string, LoweredModel | undefined>();
  for (const decl of unique) {
    if (decl.kind !== 'model' && decl.params !== undefined) {
      d.error('E0117', `a ${decl.kind} takes no parameters; only a model does, such as model mlp(depth: 2) { ... }`, decl.params.range);
    }
    if (decl.kind === 'model') {
      const lowered = lowerModel(d, decl);
      models.set(decl.name, lowered);
      if (lowered !== undefined) program.models.push(lowered.model);
    } else if (decl.kind === 'dataset') {
      const dataset = lowerDataset(d, decl);
      if (dataset !== undefined) program.datasets.push(dataset);
    } else if (decl.kind === 'train') {
      const train = lowerTrain(d, decl);
      if (train !== undefined) program.trains.push(train);
    }
  }
  for (const decl of unique) {
    if (decl.kind !== 'experiment') continue;
    const experiment = lowerExperiment(d, decl, models);
    if (experiment !== undefined) program.experiments.push(experiment);
  }
  const diagnostics = sortByPosition(d.list);
  return diagnostics.some((x) => x.severity === 'error') ? { diagnostics, sources } : { program, diagnostics, sources };
}
