/** Every surrogate family of the package, in registration order. */
import type { SurrogateFamily } from './define.js';
import { atanFamily } from './functions/atan.js';
import { deterministicPassFamily } from './functions/deterministic-pass.js';
import { erfFamily } from './functions/erf.js';
import { fakeNumericalGradientFamily } from './functions/fake-numerical-gradient.js';
import { leakyKReLUFamily } from './functions/leaky-k-relu.js';
import { logTailedReLUFamily } from './functions/log-tailed-relu.js';
import { nonzeroSignLogAbsFamily } from './functions/nonzero-sign-log-abs.js';
import { piecewiseExpFamily } from './functions/piecewise-exp.js';
import { piecewiseLeakyReLUFamily } from './functions/piecewise-leaky-relu.js';
import { piecewiseQuadraticFamily } from './functions/piecewise-quadratic.js';
import { qPseudoSpikeFamily } from './functions/q-pseudo-spike.js';
import { rectFamily } from './functions/rect.js';
import { s2nnFamily } from './functions/s2nn.js';
import { sigmoidFamily } from './functions/sigmoid.js';
import { softSignFamily } from './functions/soft-sign.js';
import { squarewaveFourierSeriesFamily } from './functions/squarewave-fourier-series.js';
import { superSpikeFamily } from './functions/super-spike.js';

/** The families registered by `deepspikePlugin` (the `rectangular` alias is added separately). */
export const SURROGATE_FAMILIES: ReadonlyArray<SurrogateFamily<Record<string, number>>> = [
  rectFamily,
  sigmoidFamily,
  atanFamily,
  piecewiseQuadraticFamily,
  piecewiseExpFamily,
  softSignFamily,
  superSpikeFamily,
  nonzeroSignLogAbsFamily,
  erfFamily,
  piecewiseLeakyReLUFamily,
  squarewaveFourierSeriesFamily,
  s2nnFamily,
  qPseudoSpikeFamily,
  leakyKReLUFamily,
  fakeNumericalGradientFamily,
  logTailedReLUFamily,
  deterministicPassFamily,
] as unknown as ReadonlyArray<SurrogateFamily<Record<string, number>>>;
