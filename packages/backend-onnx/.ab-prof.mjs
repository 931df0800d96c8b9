// usage: node .ab-prof.mjs DIST model batch steps
import * as ort from 'onnxruntime-node';
import { readFileSync, readdirSync, unlinkSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { paramSpecs } from '@bnx/ir';
const [dist, modelName, batchS, stepsS] = process.argv.slice(2);
const { mlp, seedCnn } = await import(pathToFileURL(resolve('../../bench/onnx.mjs')).href);
const { buildTrainingGraph } = await import(pathToFileURL(resolve(dist, 'training-graph.js')).href);
const { sessionOptions } = await import(pathToFileURL(resolve(dist, 'session-options.js')).href);
const model = { mlp: mlp(false), mlp_bn: mlp(true), cnn: seedCnn(false), cnn_bn: seedCnn(true) }[modelName];
const batch = Number(batchS), steps = Number(stepsS);
const recipe = { name: 'b', optimizer: { kind: 'sgd', lr: 0.01, momentum: 0.9, nesterov: false, weightDecay: 0 }, loss: 'cross_entropy', steps: 1, batch, schedule: { kind: 'constant' }, initScale: 1 };
const g = buildTrainingGraph(model, recipe, 10, false);
const opts = { ...sessionOptions('cpu'), enableProfiling: true, profileFilePrefix: '/tmp/perf/prof' };
const s = await ort.InferenceSession.create(g.bytes, opts);
const feeds = {};
for (const e of g.state) feeds[e.name] = new ort.Tensor('float32', new Float32Array(e.shape.reduce((a, b) => a * b, 1)).fill(0.01), e.shape);
feeds.x = new ort.Tensor('float32', new Float32Array(batch * g.inputShape.reduce((a, b) => a * b, 1)).fill(0.5), [batch, ...g.inputShape]);
const t = new Float32Array(batch * 10); for (let i = 0; i < batch; i++) t[i * 10 + (i % 10)] = 1;
feeds.targets = new ort.Tensor('float32', t, [batch, 10]);
feeds.lr = new ort.Tensor('float32', Float32Array.of(0.01), []); feeds.t = new ort.Tensor('float32', Float32Array.of(1), []);
for (let i = 0; i < steps; i++) { const out = await s.run(feeds); for (const e of g.state) feeds[e.name] = out[e.output]; }
s.endProfiling(); await s.release(); const file = readdirSync('/tmp/perf').filter(f=>f.startsWith('prof')).map(f=>'/tmp/perf/'+f)[0];
const ev = JSON.parse(readFileSync(file, 'utf8')); unlinkSync(file);
const byOp = {}, byNode = {}; let kernel = 0, run = 0, nodes = new Set();
for (const e of ev) {
  if (e.cat === 'Session' && e.name === 'model_run') run += e.dur;
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const op = e.args.op_name; byOp[op] = (byOp[op] ?? 0) + e.dur; kernel += e.dur; nodes.add(e.name);
  const n = e.name.replace(/_kernel_time$/, ''); byNode[n] = (byNode[n] ?? 0) + e.dur;
}
console.log(`${modelName} b${batch}: ${nodes.size} kernels, per step run ${(run / steps).toFixed(0)} µs, kernels ${(kernel / steps).toFixed(0)} µs`);
for (const [op, d] of Object.entries(byOp).sort((a, b) => b[1] - a[1]).slice(0, 14)) console.log(`  ${op.padEnd(20)} ${(d / steps).toFixed(0).padStart(6)} µs ${(100 * d / kernel).toFixed(1)}%`);
if (process.env.NODES) for (const [n, d] of Object.entries(byNode).sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.NODES))) console.log(`    ${n.padEnd(50)} ${(d / steps).toFixed(0).padStart(6)} µs`);
