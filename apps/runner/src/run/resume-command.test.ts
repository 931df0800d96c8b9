import { describe, expect, it } from 'vitest';
import { resumeCommand } from './run-experiment.js';

const base = { backend: 'onnx', device: 'cpu', set: [], jobs: '1' };

describe('resumeCommand', () => {
  it('names the file and repeats every flag that shapes the plan or the backend', () => {
    const command = resumeCommand('examples/mnist-bn.bnx', '/tmp/out dir', {
      ...base,
      experiment: 'mnist_bn',
      set: ['epochs=1', 'lr=1e-3'],
      seeds: '1..3',
      backend: 'tfjs',
      engine: 'wasm',
    });
    expect(command).toBe(
      "bnx run examples/mnist-bn.bnx --resume '/tmp/out dir' --experiment mnist_bn --set epochs=1 --set lr=1e-3 --seeds 1..3 --backend tfjs --engine wasm",
    );
  });

  it('leaves out the defaults, and never prints a queue password', () => {
    expect(resumeCommand('a.bnx', 'runs/x', base)).toBe('bnx run a.bnx --resume runs/x');
    const queued = resumeCommand('a.bnx', 'runs/x', { ...base, queue: 'redis://:s3cret@127.0.0.1:6379' });
    expect(queued).not.toContain('s3cret');
    expect(queued).toContain('--queue');
  });
});
