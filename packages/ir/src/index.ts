export type * from './types.js';
export { BnxError, isBnxError } from './errors.js';
export { DIAGNOSTIC_CODES, diagnostic, hasErrors } from './codes.js';
export type { DiagnosticCode } from './codes.js';
export {
  BATCHNORM_DEFAULTS,
  CONV2D_DEFAULTS,
  DEFAULT_SEEDS,
  DEFAULT_WEIGHT_INIT,
  DENSE_DEFAULTS,
  ELU_DEFAULTS,
  GROUPNORM_DEFAULTS,
  LAYERNORM_DEFAULTS,
  LEAKY_RELU_DEFAULTS,
  OPTIMIZER_DEFAULTS,
  TRAIN_DEFAULTS,
  TRANSFORM_DEFAULTS,
  defaultPoolStride,
} from './defaults.js';
export { ACTIVATION_OPS, LAYER_OPS, OPS, isActivation, layerWindow, normGroups, opSpec, windowAxis } from './ops.js';
export type { AttrSpec, AttrType, AxisGeometry, LayerOf, OpKind, OpSpec, ParamRole, ParamShape, ShapeResult, WindowGeometry } from './ops.js';
export { INITIALIZER_KINDS, initializerFromName, initializerProblem } from './initializers.js';
export { describeRange, inRange, rangeProblem } from './ranges.js';
export type { NumberRange } from './ranges.js';
export { closest, didYouMean, editDistance, formatShape } from './format.js';
export { canonicalInput, inferShapes, outputShape } from './shapes.js';
export type { ShapeInference } from './shapes.js';
export { constantInitValue, layerInputShapes, layerParamSpecs, paramCount, paramSpecs, shapeLayers } from './params.js';
export type { LayerSummary, ParamCount, ParamSpec, ShapedLayer } from './params.js';
export { resolveProbeLayer } from './probes.js';
export { CLAIMS, CLAIM_IDS, claimInstrumentProblem, isClaimId, plannedClaims } from './claims.js';
export type { ClaimId, ClaimSpec } from './claims.js';
export { flopsPerSample } from './flops.js';
export type { FlopCount } from './flops.js';
export {
  datasetClassCount,
  datasetSampleShape,
  datasetTrainingCount,
  sampleShapesMatch,
  sourceSampleShape,
  sourceTrainingSize,
  validationHoldout,
} from './datasets.js';
export { SETTINGS, SETTING_KEYS, applySetting, applyToParts, optimizerKeys, parseSetting, parseSettingValue, settingProblem, settingSpec } from './settings.js';
export type { OptimizerKind, SettingSpec } from './settings.js';
export { sortDiagnostics, validate } from './validate.js';
export { checkModelFitsSamples } from './check-model-data.js';
export type { SampleFacts } from './check-model-data.js';
export { expandPlan, runId } from './plan.js';
export { MAX_BATCH_VALUES, MAX_CLASSES, MAX_DATASET_VALUES, MAX_LIST_VALUES, MAX_PARAMETERS, MAX_RUNS, formatCount, planSize } from './limits.js';
export type { PlanOptions, PlanResult } from './plan.js';
