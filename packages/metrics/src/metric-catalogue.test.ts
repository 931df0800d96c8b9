import { describe, expect, it } from 'vitest';
import { formatMetricValue } from './metric-catalogue.js';

describe('formatMetricValue', () => {
  it('writes small and large values in plain decimals, as the rest of a table', () => {
    // A summary cell read "1.16e-4 ± 8.21e-5" beside "0.0038 ± 0.0084".
    expect(formatMetricValue('val_loss', 1.16e-4)).toBe('0.0001');
    expect(formatMetricValue('val_loss', 8.21e-5)).toBe('0.0001');
    expect(formatMetricValue('val_loss', 2.3e-6)).toBe('0.0000023');
    expect(formatMetricValue('val_loss', 0.0038)).toBe('0.0038');
    expect(formatMetricValue('val_loss', 0.936)).toBe('0.936');
    expect(formatMetricValue('grad_norm', 123456.7)).toBe('123457');
    expect(formatMetricValue('val_loss', -0.000012, true)).toBe('-0.000012');
    expect(formatMetricValue('val_loss', 0)).toBe('0.0000');
  });
});
