// The PyTorch CPU peer of `pnpm bench`: bench/torch_worker.py in a child Python process, driven over
// stdin/stdout (one JSON object per line each way), so its training chunks interleave with bnx's in the same
// time window. `startTorch()` finds an interpreter that can import torch and starts the worker, or says how to
// install PyTorch and returns null; nothing here is a dependency of the build or the tests.
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/**
 * Threads and wait policy of the peer: as many threads as bnx's sessions use, and OpenMP's wait policy as the
 * caller's environment sets it (BNX_TORCH_WAIT_POLICY), else PASSIVE, the same as bnx's sessions (see README).
 */
export function torchEnv(threads, waitPolicy = process.env.BNX_TORCH_WAIT_POLICY ?? 'PASSIVE') {
  return { ...process.env, OMP_NUM_THREADS: String(threads), OMP_WAIT_POLICY: waitPolicy, MKL_NUM_THREADS: String(threads) };
}

export const INSTALL_HINT =
  'PyTorch is not installed for any python3 on PATH (nor /usr/bin/python3 or $BNX_PYTHON): the PyTorch peer is skipped. ' +
  'On Debian/Ubuntu: `apt-get install python3-torch libopenblas0-openmp` (without libopenblas0-openmp its BLAS is the ' +
  '10-40× slower reference one); elsewhere `pip install torch`, or point BNX_PYTHON at an interpreter that has it.';

/** Where to look for an interpreter with torch: $BNX_PYTHON, python3 on PATH (often a pyenv or venv one), the system's. */
export const pythonCandidates = () => [process.env.BNX_PYTHON, 'python3', '/usr/bin/python3'].filter((c, i, all) => c && all.indexOf(c) === i);

/** The first of `candidates` that imports torch, or null. */
export function findTorchPython(env, candidates = pythonCandidates()) {
  for (const python of candidates) {
    try {
      execFileSync(python, ['-c', 'import torch'], { stdio: 'ignore', env, timeout: 60_000 });
      return python;
    } catch {
      // not this one: no such interpreter, or no torch for it
    }
  }
  return null;
}

/**
 * Starts the worker; returns { python, info, workload(model, batch), close() } or null (after logging why).
 * A workload has `chunk(ms)` → { units, seconds } and `dispose()`, like bench/onnx.mjs's.
 */
export async function startTorch({ threads, log, candidates = pythonCandidates() }) {
  const env = torchEnv(threads);
  const python = findTorchPython(env, candidates);
  if (!python) {
    log(`bench: ${INSTALL_HINT}`);
    return null;
  }
  const script = fileURLToPath(new URL('torch_worker.py', import.meta.url));
  const child = spawn(python, [script], { env, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let exited = null;
  child.on('exit', (code, signal) => (exited = `exited with ${signal ?? `code ${code}`}`));
  const request = async (message) => {
    if (exited) throw new Error(`the PyTorch worker ${exited}`);
    child.stdin.write(`${JSON.stringify(message)}\n`);
    const { value, done } = await lines.next();
    if (done) throw new Error(`the PyTorch worker ${exited ?? 'closed its output'} (command ${message.cmd})`);
    const reply = JSON.parse(value);
    if (reply.error) throw new Error(`PyTorch worker, ${message.cmd}: ${reply.error}`);
    return reply;
  };
  let info;
  try {
    info = await request({ cmd: 'info' });
  } catch (err) {
    log(`bench: the PyTorch peer did not start (${err.message}); going on without it`);
    child.kill();
    return null;
  }
  let nextId = 0;
  return {
    python,
    info,
    async workload(model, batch, device = 'cpu') {
      const id = `w${nextId++}`;
      await request({ cmd: 'setup', id, model, batch, device });
      return {
        chunk: (ms) => request({ cmd: 'chunk', id, ms }),
        dispose: () => request({ cmd: 'dispose', id }),
      };
    },
    async close() {
      if (!exited) child.stdin.end(`${JSON.stringify({ cmd: 'quit' })}\n`);
      await new Promise((resolve) => (exited ? resolve() : child.on('exit', resolve)));
    },
  };
}

/** One line naming what the peer ran on, printed beside its numbers. */
export function describeTorch(peer) {
  const i = peer.info;
  // Debian's python3-torch falls back to the reference BLAS (libblas.so.3 under blas/) without libopenblas0-*.
  const reference = !/openblas|mkl/i.test(i.blas) && i.libraries.some((p) => p.includes('/blas/'));
  return (
    `PyTorch ${i.torch} (Python ${i.python}, ${peer.python}), BLAS ${i.blas}${reference ? ' (the slow reference BLAS: apt-get install libopenblas0-openmp)' : ''}, ` +
    `${i.threads} threads, OMP_WAIT_POLICY=${i.omp_wait_policy}` +
    (i.threadpools ? `; thread pools: ${i.threadpools.join(', ')}` : '') +
    (i.cuda ? `; CUDA device: ${i.cuda}` : '')
  );
}
