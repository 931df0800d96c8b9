// The suite against the reference backend itself: it must pass trivially, and it proves that every case runs
// end to end through the Backend interface (and that the reference's Trainer agrees with its own ops).
import { createReferenceBackend } from '@bnx/core/reference';
import { runConformanceSuite } from './suite.js';

runConformanceSuite('reference (float64)', async () => createReferenceBackend());
