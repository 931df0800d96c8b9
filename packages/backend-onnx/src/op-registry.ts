// The one place that maps every IR op to its forward emission and its gradient rule.
import type { LayerOp } from '@bnx/ir';
import type { OpRule } from './ops/op-rule.js';
import { denseRule } from './ops/dense.js';
import { conv2dRule } from './ops/conv2d.js';
import { avgpoolRule, maxpoolRule } from './ops/pooling.js';
import { dropoutRule, flattenRule } from './ops/reshaping.js';
import { batchnormRule } from './ops/batchnorm.js';
import { groupnormRule } from './ops/groupnorm.js';
import { eluRule, leakyReluRule, reluRule, sigmoidRule, softmaxRule, tanhRule } from './ops/activations.js';

export const opRules: Record<LayerOp, OpRule> = {
  dense: denseRule,
  conv2d: conv2dRule,
  maxpool: maxpoolRule,
  avgpool: avgpoolRule,
  flatten: flattenRule,
  dropout: dropoutRule,
  batchnorm: batchnormRule,
  layernorm: groupnormRule,
  groupnorm: groupnormRule,
  relu: reluRule,
  leaky_relu: leakyReluRule,
  sigmoid: sigmoidRule,
  tanh: tanhRule,
  elu: eluRule,
  softmax: softmaxRule,
};
