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
});
