import type { Surrogate } from '@deepspike/core';
import { createSurrogate, type SurrogateFamily } from '../define.js';

/**
 * SpikingJelly `SquarewaveFourierSeries` (n-1 terms, as implemented there), `w = 2*pi/tPeriod`:
 * `g'(x) = (4/tPeriod) * sum_{i=1}^{n-1} cos((2i-1)*w*x)`,
 * `g(x) = 1/2 + (2/pi) * sum_{i=1}^{n-1} sin((2i-1)*w*x)/(2i-1)`.
 */
export const squarewaveFourierSeriesFamily: SurrogateFamily<{ n: number; tPeriod: number }> = {
  name: 'squarewave-fourier-series',
  description: 'Truncated Fourier series of a square wave (n-1 odd harmonics) and its derivative.',
  params: {
    n: { default: 2, min: 2, integer: true, description: 'Series order; n-1 harmonics are summed.' },
    tPeriod: { default: 8, min: 0, exclusive: true, description: 'Period of the square wave (SpikingJelly T_period).' },
  },
  build: ({ n, tPeriod }) => {
    const w = (2 * Math.PI) / tPeriod;
    return {
      derivative: (x) => {
        let s = 0;
        for (let i = 1; i < n; i++) s += Math.cos((2 * i - 1) * w * x);
        return (4 / tPeriod) * s;
      },
      primitive: (x) => {
        let s = 0;
        for (let i = 1; i < n; i++) s += Math.sin((2 * i - 1) * w * x) / (2 * i - 1);
        return 0.5 + (2 / Math.PI) * s;
      },
    };
  },
};

/** Square-wave Fourier-series surrogate. @param params.n order (default 2, integer >= 2) @param params.tPeriod period (default 8, > 0) */
export function squarewaveFourierSeries(params: { n?: number; tPeriod?: number } = {}): Surrogate {
  return createSurrogate(squarewaveFourierSeriesFamily, params);
}
