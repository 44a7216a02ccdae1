/**
 * @deepspike/surrogate — surrogate gradient functions for spiking neurons: the STBP rectangle of the
 * paper and the SpikingJelly set, each a primitive/derivative pair (`Surrogate` of @deepspike/core)
 * registered by lower-kebab name through `deepspikePlugin`. Defaults and formulas follow
 * `testdata/golden/README.md` (surrogates.json).
 * @packageDocumentation
 */
export { surrogateMessages } from './messages.js';
export { resolveParams, createSurrogate, surrogateEntry, surrogateSchema } from './define.js';
export type { ParamSpec, SurrogateFamily } from './define.js';
export { SURROGATE_FAMILIES } from './families.js';
export { rect, rectFamily } from './functions/rect.js';
export { rectangular } from './functions/rectangular.js';
export { sigmoid, sigmoidFamily } from './functions/sigmoid.js';
export { atan, atanFamily } from './functions/atan.js';
export { piecewiseQuadratic, piecewiseQuadraticFamily } from './functions/piecewise-quadratic.js';
export { piecewiseExp, piecewiseExpFamily } from './functions/piecewise-exp.js';
export { softSign, softSignFamily } from './functions/soft-sign.js';
export { superSpike, superSpikeFamily } from './functions/super-spike.js';
export { nonzeroSignLogAbs, nonzeroSignLogAbsFamily } from './functions/nonzero-sign-log-abs.js';
export { erf, erfFamily, erfDouble } from './functions/erf.js';
export { piecewiseLeakyReLU, piecewiseLeakyReLUFamily } from './functions/piecewise-leaky-relu.js';
export { squarewaveFourierSeries, squarewaveFourierSeriesFamily } from './functions/squarewave-fourier-series.js';
export { s2nn, s2nnFamily } from './functions/s2nn.js';
export { qPseudoSpike, qPseudoSpikeFamily } from './functions/q-pseudo-spike.js';
export { leakyKReLU, leakyKReLUFamily } from './functions/leaky-k-relu.js';
export { fakeNumericalGradient, fakeNumericalGradientFamily } from './functions/fake-numerical-gradient.js';
export { logTailedReLU, logTailedReLUFamily } from './functions/log-tailed-relu.js';
export { deterministicPass, deterministicPassFamily } from './functions/deterministic-pass.js';
export { deepspikePlugin } from './plugin.js';
