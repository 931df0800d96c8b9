// Engine selection. tfjs keeps ONE active backend per process, so every Trainer re-activates its own engine at
// the start of each public call (cheap when it is already active): two trainers on different engines can then
// live side by side (the conformance tests run wasm and cpu in one process).
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { BnxError } from '@bnx/ir';

export type EngineName = 'wasm' | 'cpu' | 'node';
export const ENGINES: readonly EngineName[] = ['wasm', 'cpu', 'node'];

/** tfjs backend name behind each engine. */
const TFJS_BACKEND: Record<EngineName, string> = { wasm: 'wasm', cpu: 'cpu', node: 'tensorflow' };

const require = createRequire(import.meta.url);

// The wasm binaries ship inside the installed package; point the loader at them so nothing is fetched. Threads
// never start under Node (measured), so the single-threaded SIMD binary is the one to load.
try {
  setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
} catch {
  // Only thrown after a failed wasm start-up in this process; activateEngine('wasm') reports that failure.
}
tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);

export function parseEngine(engine: string | undefined): EngineName {
  if (engine === undefined) return 'wasm';
  if ((ENGINES as readonly string[]).includes(engine)) return engine as EngineName;
  throw new BnxError(`tfjs backend: unknown engine '${engine}'; expected one of ${ENGINES.join(', ')} (default wasm)`, 'E_TFJS_ENGINE');
}

/**
 * Why the optional tfjs-node engine cannot run here, or null when its package is installed. Only resolves the
 * package (no import, so listing devices loads no native code); a package that is present but broken is
 * reported when a trainer asks for it.
 */
export function nodeEngineProblem(): string | null {
  try {
    require.resolve('@tensorflow/tfjs-node');
    return null;
  } catch {
    return NODE_MISSING;
  }
}

const NODE_MISSING =
  "tfjs engine 'node' needs the optional package @tensorflow/tfjs-node, which is not installed: " +
  'run `npm install @tensorflow/tfjs-node` (it downloads libtensorflow), or use --engine wasm';

let tfjsNodeLoaded: Promise<void> | undefined;

function loadTfjsNode(): Promise<void> {
  // A variable specifier keeps TypeScript and bundlers from requiring the optional peer at build time.
  const specifier = '@tensorflow/tfjs-node';
  tfjsNodeLoaded ??= import(specifier).then(
    () => undefined,
    (err: unknown) => {
      const missing = (err as { code?: string }).code === 'ERR_MODULE_NOT_FOUND';
      throw new BnxError(missing ? NODE_MISSING : `tfjs engine 'node': @tensorflow/tfjs-node failed to load: ${(err as Error).message}`, 'E_TFJS_NODE_MISSING');
    },
  );
  return tfjsNodeLoaded;
}

/** Makes `engine` the active tfjs backend, initialising it on first use. */
export async function activateEngine(engine: EngineName): Promise<void> {
  const backendName = TFJS_BACKEND[engine];
  if (tf.getBackend() === backendName && engine !== 'node') return;
  if (engine === 'node') await loadTfjsNode();
  if (tf.getBackend() === backendName) return;
  let ok: boolean;
  try {
    ok = await tf.setBackend(backendName);
  } catch (err) {
    // tfjs-node registers its backend with the copy of tfjs-core it resolves; a different copy never sees it.
    throw new BnxError(
      `tfjs engine '${engine}' is not available: ${(err as Error).message}` +
        (engine === 'node' ? ' (install @tensorflow/tfjs-node of the same version as @tensorflow/tfjs-core, 4.22)' : ''),
      'E_TFJS_ENGINE_INIT',
    );
  }
  if (!ok) {
    throw new BnxError(`tfjs engine '${engine}' failed to initialise on this machine`, 'E_TFJS_ENGINE_INIT');
  }
  if (engine === 'cpu') silenceCpuBanner();
  await tf.ready();
}

/** The cpu backend prints an advert for tfjs-node on its first tensor; bnx output is not the place for it. */
function silenceCpuBanner(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (backend && 'firstUse' in backend) backend.firstUse = false;
}
