/** Maps the golden file's SpikingJelly names and parameters to ours (shared by the tests). */
/** SpikingJelly class name -> registered name. */
export const NAMES: Record<string, string> = {
  PiecewiseQuadratic: 'piecewise-quadratic',
  PiecewiseExp: 'piecewise-exp',
  Sigmoid: 'sigmoid',
  SoftSign: 'soft-sign',
  SuperSpike: 'super-spike',
  ATan: 'atan',
  NonzeroSignLogAbs: 'nonzero-sign-log-abs',
  Erf: 'erf',
  PiecewiseLeakyReLU: 'piecewise-leaky-relu',
  SquarewaveFourierSeries: 'squarewave-fourier-series',
  S2NN: 's2nn',
  QPseudoSpike: 'q-pseudo-spike',
  LeakyKReLU: 'leaky-k-relu',
  FakeNumericalGradient: 'fake-numerical-gradient',
  LogTailedReLU: 'log-tailed-relu',
  Rect: 'rect',
  DeterministicPass: 'deterministic-pass',
};

/** Golden parameter names -> ours (SpikingJelly's `T_period` is `tPeriod` here). */
export function ourParams(p: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(p)) out[k === 'T_period' ? 'tPeriod' : k] = v;
  return out;
}

