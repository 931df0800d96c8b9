// The backends are imported only when a run asks for them. Importing @bnx/backend-tfjs (tfjs-core and its
// wasm and cpu backends) into a process slowed ONNX Runtime training in that same process by 20-30%, even
// with tfjs never used (784-300-100-10 MLP at batch 32, three alternating runs of each: 16-23k samples/s
// after the import against 21-27k without). So `--backend onnx`, the default, loads onnx alone.
import { BnxError } from '@bnx/ir';

const LOADERS: Record<string, () => Promise<void>> = {
  onnx: async () => (await import('@bnx/backend-onnx')).registerOnnxBackend(),
  tfjs: async () => (await import('@bnx/backend-tfjs')).registerTfjsBackend(),
};

export const BACKEND_NAMES = Object.keys(LOADERS);

/** Registers the named backend with @bnx/core's registry; without a name, every backend (priority decides). */
export async function loadBackends(name?: string): Promise<void> {
  if (name !== undefined && !(name in LOADERS)) {
    throw new BnxError(`--backend ${name}: unknown backend; the backends are ${BACKEND_NAMES.join(', ')}`, 'E_BACKEND_UNKNOWN');
  }
  for (const backend of name === undefined ? BACKEND_NAMES : [name]) await LOADERS[backend]!();
}
