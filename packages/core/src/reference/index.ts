// @bnx/core/reference: a small, plain float64 implementation of every bnx op (forward and backward), the
// losses, the optimizers and batch normalization, and a Backend built on them. It is the oracle every real
// backend is checked against (test/conformance). Conventions: README.md beside this file.
export { createReferenceBackend } from './backend.js';
export { ReferenceTrainer } from './trainer.js';

export { windowAxis, type Padding, type WindowAxis } from './windows.js';
export { denseForward, denseBackward, type DenseDims, type DenseGradients } from './dense.js';
export { conv2dForward, conv2dBackward, conv2dOutputSize, type Conv2dGeometry, type Conv2dGradients } from './conv2d.js';
export { maxpoolForward, maxpoolBackward, avgpoolForward, avgpoolBackward, poolOutputSize, type PoolGeometry } from './pool.js';
export { flattenForward, flattenBackward } from './flatten.js';
export { dropoutForward, dropoutBackward } from './dropout.js';
export {
  batchStatistics,
  batchNormTrainForward,
  batchNormTrainBackward,
  batchNormEvalForward,
  updateRunningStatistics,
  type BatchNormLayout,
  type BatchStatistics,
  type BatchNormTrainResult,
  type BatchNormGradients,
  type RunningStatistics,
} from './batchnorm.js';
export { groupNormForward, groupNormBackward, type GroupNormLayout, type GroupNormForward, type GroupNormGradients } from './groupnorm.js';
export {
  reluForward,
  reluBackward,
  leakyReluForward,
  leakyReluBackward,
  sigmoidForward,
  sigmoidBackward,
  tanhForward,
  tanhBackward,
  eluForward,
  eluBackward,
  softmaxForward,
  softmaxBackward,
} from './activations.js';
export { crossEntropy, meanSquaredError, computeLoss, countCorrect, type LossResult, type LossDims } from './losses.js';
export { applyOptimizer, optimizerSlotNames, type OptimizerSlots } from './optimizers.js';
export { planNetwork, stateSpecs, sizeOf, type NetworkPlan, type LayerPlan, type PlannedTensor, type StateEntrySpec } from './plan.js';
export { REFERENCE_KERNELS, type ReferenceKernel, type KernelContext } from './kernels.js';
export { forward, backward, logitsOf, type Float64Params, type ForwardPass, type Mode } from './network.js';
export { lossAndGradients, trainStep, l2Norm, type ReferenceBatch, type LossAndGradients } from './step.js';
