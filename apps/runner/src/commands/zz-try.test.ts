import { it } from 'vitest';
it('steps', async () => {
  const t0 = Date.now();
  const log = (m: string) => process.stderr.write(`${((Date.now() - t0) / 1000).toFixed(1)}s ${m}\n`);
  const { checkFile } = await import('@bnx/dsl'); log('dsl imported');
  const r = checkFile(process.env.BNXFILE!); log('checked ' + JSON.stringify(r.diagnostics).slice(0, 300));
  const { expandPlan } = await import('@bnx/ir');
  const p = expandPlan(r.program!, undefined, {}); log('plan ' + p.plan?.runs.length + JSON.stringify(p.diagnostics).slice(0, 300));
  const { loadDataset } = await import('@bnx/data');
  const d = await loadDataset(p.plan!.runs[0]!.dataset, { seed: 1 }); log('data ' + d.train.count);
  const { registerOnnxBackend } = await import('@bnx/backend-onnx'); log('onnx imported');
  registerOnnxBackend();
  const { resolveBackend, trainRun } = await import('@bnx/core');
  const b = await resolveBackend({ name: 'onnx', device: 'cpu' }); log('resolved ' + JSON.stringify(b.device));
  const rec = await trainRun(p.plan!.runs[0]!, { backend: b.backend, device: 'cpu', data: d }); log('trained ' + rec.status + ' ' + rec.error + ' ' + rec.history.length);
}, 100000);
