// @bnx/core: the backend contract and registry, the seeded PRNG, initializers, dropout masks, learning-rate
// schedules and the training driver that every backend runs under.
export type * from './backend.js';
export type * from './run-record.js';
// The seeded generator is @bnx/data's (data needs it and core depends on data); re-exported as core's API.
export { philox4x32, fnv1a64, rawWords, uniforms, normals, truncatedNormals, TRUNCATED_NORMAL_STD } from '@bnx/data';
export type { StreamId } from '@bnx/data';
export { initialValues } from './initializers.js';
export type { InitTarget } from './initializers.js';
export { initialState, initPurpose } from './init.js';
export { dropoutMask, dropoutMasks, dropoutPurpose } from './dropout.js';
export { registerBackend, unregisterBackend, listBackends, resolveBackend } from './registry.js';
export type { BackendRequest, RegisteredBackend, ResolvedBackend } from './registry.js';
export { learningRate } from './schedule.js';
export type { SchedulePoint } from './schedule.js';
export { percentiles } from './percentiles.js';
export { l2norm, meanAndStd, tensorNorms } from './probe-stats.js';
export { trainRun, PROBE_BATCH } from './driver.js';
export type { TrainRunOptions } from './driver.js';
