import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { onnx } from './onnx-schema.js';
import { GraphBuilder } from './graph-builder.js';

describe('GraphBuilder', () => {
  it('names nodes after their scope, shares constants and renames outputs in place', async () => {
    const g = new GraphBuilder('t');
    g.input('x', 'float', ['batch', 2]);
    g.scope = 'dense_1';
    const a = g.scale('x', 3);
    const b = g.scale(a, 3); // the same constant 3
    g.output(a, 'first', 'float', ['batch', 2]);
    g.output(b, 'second', 'float', ['batch', 2]);
    g.output('x', 'echo', 'float', ['batch', 2]); // a graph input: needs an Identity
    const decoded = onnx.ModelProto.decode(g.toBytes());
    const nodes = decoded.graph!.node!;
    expect(nodes.map((n) => n.name)).toEqual(['dense_1/Mul', 'dense_1/Mul_1', 'echo/Identity']);
    expect(nodes[1]!.input).toEqual(['first', nodes[0]!.input![1]]); // reads the renamed tensor
    expect(decoded.graph!.initializer!).toHaveLength(1);
    const session = await ort.InferenceSession.create(g.toBytes(), { logSeverityLevel: 3 });
    const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, -2), [1, 2]) });
    expect([...(out.first!.data as Float32Array)]).toEqual([3, -6]);
    expect([...(out.second!.data as Float32Array)]).toEqual([9, -18]);
    expect([...(out.echo!.data as Float32Array)]).toEqual([1, -2]);
  });

  it('sums beta·c into a Gemm nothing else reads, and adds it with Mul and Add otherwise', async () => {
    const build = (readTwice: boolean) => {
      const g = new GraphBuilder('t');
      g.input('a', 'float', [2, 2]);
      g.input('b', 'float', [2, 2]);
      g.input('v', 'float', [2, 2]);
      const grad = g.node('Gemm', ['a', 'b'], { transA: 1 });
      const extra = readTwice ? g.node('Neg', [grad]) : undefined;
      g.output(g.accumulate(grad, 'v', 0.5), 'sum', 'float', [2, 2]);
      if (extra) g.output(extra, 'neg', 'float', [2, 2]);
      return g.toBytes();
    };
    const feeds = {
      a: new ort.Tensor('float32', Float32Array.of(1, 2, 3, 4), [2, 2]),
      b: new ort.Tensor('float32', Float32Array.of(1, 0, 0, 1), [2, 2]),
      v: new ort.Tensor('float32', Float32Array.of(2, 4, 6, 8), [2, 2]),
    };
    // aᵀ·b = aᵀ = [[1, 3], [2, 4]]; + 0.5·v = [[2, 5], [5, 8]]
    for (const readTwice of [false, true]) {
      const bytes = build(readTwice);
      const ops = onnx.ModelProto.decode(bytes).graph!.node!.map((n) => n.opType);
      expect(ops).toEqual(readTwice ? ['Gemm', 'Neg', 'Mul', 'Add'] : ['Gemm']);
      const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
      const out = await session.run(feeds);
      expect([...(out.sum!.data as Float32Array)]).toEqual([2, 5, 5, 8]);
    }
  });
});
