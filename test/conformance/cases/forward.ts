// Every op's forward pass, read through Trainer.activations (inference mode), against the reference.
import { forward, planNetwork } from '@bnx/core/reference';
import type { Layer } from '@bnx/ir';
import { randomBatch, scenario, toFloat64, type ConformanceContext } from '../context.js';
import { conv2d, dense, groupnorm, layernorm, model, pool, recipe, sgd, simple } from '../ir.js';
import { seededRandom } from '../random.js';

interface ForwardCase {
  id: string;
  input: number[];
  layers: Layer[];
}

const image = (...layers: Layer[]): Layer[] => [conv2d('conv_0', 3, [3, 3], [1, 1], 'same'), ...layers];

export const forwardCases: ForwardCase[] = [
  { id: 'dense', input: [5], layers: [dense('dense_1', 4)] },
  { id: 'dense without bias', input: [5], layers: [dense('dense_1', 4, false)] },
  { id: 'conv2d same stride 1, 3x3', input: [2, 5, 6], layers: [conv2d('conv_1', 3, [3, 3], [1, 1], 'same')] },
  // An even kernel and stride 2 on odd sizes: the extra SAME padding must go at the end (SAME_UPPER).
  { id: 'conv2d same stride 2, 2x2, odd input', input: [2, 5, 7], layers: [conv2d('conv_1', 3, [2, 2], [2, 2], 'same')] },
  { id: 'conv2d same 4x3 kernel', input: [1, 6, 5], layers: [conv2d('conv_1', 2, [4, 3], [1, 1], 'same')] },
  { id: 'conv2d valid stride (2,1), 3x2, no bias', input: [3, 7, 6], layers: [conv2d('conv_1', 2, [3, 2], [2, 1], 'valid', false)] },
  { id: 'conv2d on a (H, W) input', input: [6, 6], layers: [conv2d('conv_1', 2, [3, 3], [1, 1], 'valid')] },
  { id: 'maxpool 2x2 stride 2, odd input', input: [2, 5, 7], layers: image(pool('maxpool', 'pool_1', [2, 2], [2, 2])) },
  { id: 'maxpool 3x3 stride 2, overlapping', input: [2, 7, 7], layers: image(pool('maxpool', 'pool_1', [3, 3], [2, 2])) },
  { id: 'avgpool 2x2 stride 2', input: [2, 6, 5], layers: image(pool('avgpool', 'pool_1', [2, 2], [2, 2])) },
  { id: 'avgpool 3x2 stride (1,2)', input: [2, 5, 6], layers: image(pool('avgpool', 'pool_1', [3, 2], [1, 2])) },
  { id: 'flatten is channels-first', input: [2, 3, 4], layers: image(simple('flatten', 'flatten_1')) },
  { id: 'dropout is the identity in inference', input: [5], layers: [dense('dense_0', 6), simple('dropout', 'dropout_1')] },
  ...(['relu', 'leaky_relu', 'sigmoid', 'tanh', 'elu', 'softmax'] as const).map((op) => ({
    id: op,
    input: [5],
    layers: [dense('dense_0', 6), simple(op, `${op}_1`)],
  })),
  { id: 'layernorm over features', input: [5], layers: [dense('dense_0', 6), layernorm('ln_1')] },
  { id: 'layernorm over C, H, W, no affine', input: [2, 4, 5], layers: image(layernorm('ln_1', false)) },
  { id: 'groupnorm, 3 groups of 2 features', input: [5], layers: [dense('dense_0', 6), groupnorm('gn_1', 3)] },
  { id: 'groupnorm, 2 groups of 3 channels', input: [2, 4, 5], layers: [conv2d('conv_0', 6, [3, 3], [1, 1], 'same'), groupnorm('gn_1', 2)] },
  { id: 'groupnorm, one group per channel (instance norm)', input: [2, 4, 4], layers: image(groupnorm('gn_1', 3)) },
];

export function registerForwardCases(ctx: ConformanceContext): void {
  forwardCases.forEach((c, index) => {
    ctx.case(`forward/${c.id}`, async () => {
      const random = seededRandom(100 + index);
      // Models end in flat logits (the IR's rule), so image outputs get a flatten after them.
      const flat = planNetwork(model('probe', c.input, c.layers)).layers.at(-1)!.outShape.length === 1;
      const m = model(`forward_${index}`, c.input, flat ? c.layers : [...c.layers, simple('flatten', 'flatten_9')]);
      const s = scenario(m, recipe(sgd(0.1)), random);
      const plan = planNetwork(m);
      const batch = randomBatch(plan, s.numClasses, random, 3);
      const pass = forward(plan, toFloat64(s.initial), Float64Array.from(batch.x), batch.size, 'eval');
      // Every layer's output in one request, so a wrong intermediate is named, not only the last one.
      const requests = c.layers.map((l) => ({ layer: l.name }));
      const outputs = await ctx.withTrainer(s, (trainer) => trainer.activations(batch.x, batch.size, requests));
      c.layers.forEach((l, i) => ctx.expectClose(outputs[i]!, pass.inputs[i + 1]!, `output of ${l.name}`));
    });
  });
}
