import { describe, expect, it } from 'vitest';
import { expandPlan } from '@bnx/ir';
import { tinyProgram } from '../commands/testing/tiny-program.js';
import { parseRunJob, planHash, queueName, runJobId, RUN_JOB_NAME, RUN_JOB_SCHEMA } from './run-job.js';

const plan = expandPlan(tinyProgram(), undefined, {}).plan!;
const spec = plan.runs[0]!;
const hash = planHash(plan, [], '1.0.0');
const job = { schema: RUN_JOB_SCHEMA, bnxVersion: '1.0.0', planHash: hash, spec, inputs: [] };

describe('run jobs', () => {
  it('job ids come from the plan hash and the run id; the hash follows the plan, its data files and the version', () => {
    expect(runJobId(hash, spec.id)).toBe(`${hash}-${spec.id}`);
    expect(planHash(expandPlan(tinyProgram(), undefined, {}).plan!, [], '1.0.0')).toBe(hash);
    expect(planHash(expandPlan(tinyProgram(), undefined, { overrides: { epochs: 1 } }).plan!, [], '1.0.0')).not.toBe(hash);
    expect(planHash(plan, [{ path: '/d.csv', sha256: 'ab', bytes: 1 }], '1.0.0')).not.toBe(hash);
    expect(planHash(plan, [], '1.0.1')).not.toBe(hash);
  });

  it('one queue per backend, device and engine', () => {
    expect(queueName({ backend: 'onnx', device: 'cpu' })).toBe('runs-onnx-cpu-default');
    expect(queueName({ backend: 'tfjs', device: 'auto', engine: 'wasm' })).toBe('runs-tfjs-auto-wasm');
  });

  it('a worker accepts a bnx run job', () => {
    expect(parseRunJob(RUN_JOB_NAME, runJobId(hash, spec.id), job, '1.0.0').spec.id).toBe(spec.id);
  });

  it('a worker refuses anything else, saying why', () => {
    const id = runJobId(hash, spec.id);
    expect(() => parseRunJob('exec', id, job, '1.0.0')).toThrow(/its name is 'exec', not 'bnx-run'/);
    expect(() => parseRunJob(RUN_JOB_NAME, id, { ...job, schema: 'x' }, '1.0.0')).toThrow(/not a bnx.run-job\/1 object/);
    expect(() => parseRunJob(RUN_JOB_NAME, id, job, '2.0.0')).toThrow(/queued by bnx 1.0.0 and this worker is bnx 2.0.0/);
    expect(() => parseRunJob(RUN_JOB_NAME, id, { ...job, spec: { id: spec.id } }, '1.0.0')).toThrow(/no complete run spec/);
    expect(() => parseRunJob(RUN_JOB_NAME, 'other-id', job, '1.0.0')).toThrow(/does not match its plan hash and run id/);
    expect(() => parseRunJob(RUN_JOB_NAME, id, { ...job, inputs: [{ path: 1 }] }, '1.0.0')).toThrow(/input files is malformed/);
  });
});
