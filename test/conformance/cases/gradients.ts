// Every op's backward pass and both losses, through one SGD step with lr 1 (new = old - grad). Ops without
// parameters are checked through the gradient of the dense or conv layer before them.
import { planNetwork } from '@bnx/core/reference';
import type { Layer, Loss } from '@bnx/ir';
import { checkOneStepGradients, randomBatch, scenario, type ConformanceContext } from '../context.js';
import { conv2d, dense, groupnorm, layernorm, model, pool, recipe, sgd, simple } from '../ir.js';
import { dropoutMask, seededRandom } from '../random.js';

interface GradientCase {
  id: string;
  input: number[];
  layers: Layer[];
  loss?: Loss;
}

const head = (...layers: Layer[]): Layer[] => [...layers, simple('flatten', 'flatten_9'), dense('dense_9', 3)];
const image = (...layers: Layer[]): Layer[] => head(conv2d('conv_0', 3, [3, 3], [1, 1], 'same'), ...layers);
const vector = (...layers: Layer[]): Layer[] => [dense('dense_0', 6), ...layers, dense('dense_9', 3)];

export const gradientCases: GradientCase[] = [
  { id: 'dense', input: [5], layers: [dense('dense_1', 3)] },
  { id: 'dense without bias, two layers', input: [5], layers: [dense('dense_1', 4, false), dense('dense_2', 3)] },
  { id: 'conv2d same stride 1, 3x3', input: [2, 5, 5], layers: head(conv2d('conv_1', 3, [3, 3], [1, 1], 'same')) },
  { id: 'conv2d same stride 2, 2x2, odd input', input: [2, 5, 7], layers: head(conv2d('conv_1', 3, [2, 2], [2, 2], 'same')) },
  { id: 'conv2d valid stride (2,1), 3x2, no bias', input: [3, 7, 6], layers: head(conv2d('conv_1', 2, [3, 2], [2, 1], 'valid', false)) },
  {
    id: 'conv2d on a (H, W) input, two layers',
    input: [6, 6],
    layers: head(conv2d('conv_1', 2, [3, 3], [1, 1], 'valid'), conv2d('conv_2', 2, [2, 2], [1, 1], 'same')),
  },
  { id: 'maxpool 2x2 stride 2, odd input', input: [2, 5, 7], layers: image(pool('maxpool', 'pool_1', [2, 2], [2, 2])) },
  { id: 'maxpool 3x3 stride 2, overlapping', input: [2, 7, 7], layers: image(pool('maxpool', 'pool_1', [3, 3], [2, 2])) },
  // The onnx training graph pools before a ReLU that precedes a max-pool; the gradients must not change.
  { id: 'relu then maxpool 3x3 stride 2, overlapping', input: [2, 7, 7], layers: image(simple('relu', 'relu_1'), pool('maxpool', 'pool_1', [3, 3], [2, 2])) },
  {
    id: 'relu then maxpool 2x2 stride 2, then relu',
    input: [2, 5, 7],
    layers: image(simple('relu', 'relu_1'), pool('maxpool', 'pool_1', [2, 2], [2, 2]), simple('relu', 'relu_2')),
  },
  { id: 'avgpool 2x2 stride 2', input: [2, 6, 5], layers: image(pool('avgpool', 'pool_1', [2, 2], [2, 2])) },
  { id: 'avgpool 3x2 stride (1,2)', input: [2, 5, 6], layers: image(pool('avgpool', 'pool_1', [3, 2], [1, 2])) },
  ...(['relu', 'leaky_relu', 'sigmoid', 'tanh', 'elu', 'softmax'] as const).map((op) => ({
    id: op,
    input: [5],
    layers: vector(simple(op, `${op}_1`)),
  })),
  { id: 'layernorm over features', input: [5], layers: vector(layernorm('ln_1'), simple('tanh', 'tanh_1')) },
  { id: 'layernorm over C, H, W', input: [2, 4, 5], layers: image(layernorm('ln_1'), simple('relu', 'relu_1')) },
  { id: 'groupnorm, 3 groups of 2 features, no affine', input: [5], layers: vector(groupnorm('gn_1', 3, false), simple('tanh', 'tanh_1')) },
  {
    id: 'groupnorm, 2 groups of 3 channels',
    input: [2, 4, 5],
    layers: head(conv2d('conv_0', 6, [3, 3], [1, 1], 'same', false), groupnorm('gn_1', 2), simple('relu', 'relu_1')),
  },
  { id: 'groupnorm on 1x1 maps, 2 values per group', input: [3, 1, 1], layers: head(conv2d('conv_0', 4, [1, 1], [1, 1], 'valid'), groupnorm('gn_1', 2)) },
  { id: 'loss cross_entropy', input: [5], layers: vector(simple('tanh', 'tanh_1')), loss: 'cross_entropy' },
  { id: 'loss mse', input: [5], layers: vector(simple('tanh', 'tanh_1')), loss: 'mse' },
];

export function registerGradientCases(ctx: ConformanceContext): void {
  gradientCases.forEach((c, index) => {
    ctx.case(`backward/${c.id}`, async () => {
      const random = seededRandom(200 + index);
      const m = model(`backward_${index}`, c.input, c.layers);
      const s = scenario(m, recipe(sgd(1), c.loss ?? 'cross_entropy'), random);
      await checkOneStepGradients(ctx, s, randomBatch(planNetwork(m), s.numClasses, random, 4));
    });
  });

  ctx.case('backward/dropout with given masks', async () => {
    const random = seededRandom(250);
    const m = model('dropout', [5], [dense('dense_0', 6), simple('dropout', 'dropout_1'), simple('tanh', 'tanh_1'), dense('dense_9', 3)]);
    const s = scenario(m, recipe(sgd(1)), random);
    const batch = randomBatch(planNetwork(m), s.numClasses, random, 4);
    batch.dropoutMasks = { dropout_1: dropoutMask(random, 4 * 6, 0.5) };
    await checkOneStepGradients(ctx, s, batch);
  });
}
