/**
 * Every user-facing message of @deepspike/tdbn, in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */

const shape = (s: readonly number[]): string => `[${s.join(', ')}]`;

const TRANSPOSE_HINT = 'The input looks channels-first ([T, N, C, H, W]); transpose it with tf.transpose(x, [0, 1, 3, 4, 2]).';

/** Message builders, one per kind of bad input (tests assert these exact strings). */
export const messages = {
  /** x is neither `[T, N, H, W, C]` nor `[T, N, C]`. */
  rank(where: string, got: readonly number[]): string {
    return (
      `${where}: x has rank ${got.length}, got shape ${shape(got)}; expected rank 5 [T, N, H, W, C] or rank 3 [T, N, C] ` +
      `(time first, channels last). Add the time axis first, e.g. repeatOverTime(x, T), and keep channels last.`
    );
  },
  /** A tensor is not float32. */
  dtype(where: string, name: string, got: string): string {
    return `${where}: ${name} has dtype ${got}, got ${got}; expected float32. Cast it with tf.cast(${name}, 'float32').`;
  },
  /** lambda/beta (or a layer's channel count) do not match the last axis of x. */
  channels(where: string, name: string, paramShape: readonly number[], xShape: readonly number[], looksNCHW: boolean): string {
    const c = xShape[xShape.length - 1];
    return (
      `${where}: ${name} has shape ${shape(paramShape)} but x has ${c} channels on its last axis, got x ${shape(xShape)}; ` +
      `expected ${name} of shape [${c}] (one value per channel of x, channels last). ` +
      (looksNCHW ? TRANSPOSE_HINT : `Build ${name} with one value per channel of x.`)
    );
  },
  /** A layer built for `channels` channels receives a different count. */
  layerChannels(where: string, channels: number, xShape: readonly number[], looksNCHW: boolean): string {
    return (
      `${where}: x has ${xShape[xShape.length - 1]} channels on the last axis, got shape ${shape(xShape)}; ` +
      `expected ${channels} channels last ([T, N, H, W, C] or [T, N, C]). ` +
      (looksNCHW ? TRANSPOSE_HINT : 'Check the layer was built for this input.')
    );
  },
  /** A scalar option must be finite and > 0. */
  positive(where: string, name: string, got: unknown, meaning: string): string {
    return `${where}: ${name} must be a finite number > 0 (${meaning}), got ${String(got)}; expected > 0. Pass a positive ${name}.`;
  },
  /** epsilon must be finite and >= 0. */
  epsilon(where: string, got: unknown): string {
    return `${where}: epsilon must be a finite number >= 0, got ${String(got)}; expected >= 0 (default 1e-5). Pass a small non-negative epsilon.`;
  },
  /** momentum must lie in [0, 1]. */
  momentum(where: string, got: unknown): string {
    return `${where}: momentum must be in [0, 1], got ${String(got)}; expected e.g. 0.1 (the weight of the new batch statistics). Pass a momentum in [0, 1].`;
  },
  /** The residual added before the neuron does not have x's shape. */
  residualShape(where: string, residual: readonly number[], x: readonly number[]): string {
    return (
      `${where}: residual has shape ${shape(residual)}, got x ${shape(x)}; expected the residual to have x's shape ` +
      `(it is added to the normalised x before the neuron). Pass the shortcut branch of the same block.`
    );
  },
  /** The fused average pool needs [T, N, H, W, C] with H and W multiples of an integer window size. */
  poolTiling(where: string, x: readonly number[], size: unknown): string {
    return (
      `${where}: the average pool fused after the neuron needs x of shape [T, N, H, W, C] with H and W multiples of the ` +
      `window size, got x ${shape(x)} and size ${String(size)}; expected an integer size >= 1 whose k x k windows at ` +
      `stride k tile the image. Use a size that divides H and W, or run the pool as its own layer.`
    );
  },
  /** A repeated input must be one step, [1, N, ...]. */
  repeatedInput(where: string, x: readonly number[], timesteps: unknown): string {
    return (
      `${where}: a repeated input stands for one step repeated over T, so it must have shape [1, N, H, W, C] or [1, N, C], ` +
      `got x ${shape(x)} with timesteps ${String(timesteps)}; expected T = 1 and timesteps an integer >= 1. Pass the ` +
      `first layer's output on the un-repeated input, or the repeated sequence without timesteps.`
    );
  },
  /** The neuron's decay factor must lie in [0, 1). */
  tau(where: string, got: unknown): string {
    return `${where}: tau must be a number in [0, 1) (the LIF decay factor), got ${String(got)}; expected 0 <= tau < 1. Pass the neuron's tau.`;
  },
  /** A count option (channels, timesteps) must be a positive integer. */
  count(where: string, name: string, got: unknown): string {
    return `${where}: ${name} must be a positive integer, got ${String(got)}; expected an integer >= 1. Pass ${name} (the ${name === 'timesteps' ? 'number of time steps T' : 'number of channels C'}).`;
  },
  /** Per-step norms see a sequence of another length than they were built for. */
  timesteps(where: string, timesteps: number, xShape: readonly number[]): string {
    return (
      `${where}: x has ${xShape[0]} time steps, got shape ${shape(xShape)}; expected ${timesteps} time steps on axis 0 ` +
      `(this norm keeps statistics and parameters per step). Build the layer with timesteps: ${xShape[0]}, or feed T=${timesteps}.`
    );
  },
  /** MPBN run on its own, not inside the neuron it normalises. */
  mpbnAlone(where: string, xShape: readonly number[]): string {
    return (
      `${where}: MPBN normalises the membrane potential of the neuron it feeds, got a current x ${shape(xShape)} to normalise on its own; ` +
      `expected the norm right before a neuron layer (lif, if or plif), run through normIntoNeuron as generated models do. ` +
      `Put the "mpbn" norm directly before a neuron layer (no "inputs" between them).`
    );
  },
  /** MPBN fed a neuron it cannot run inside. */
  mpbnNeuron(where: string, got: string): string {
    return `${where}: MPBN runs inside a LIF-family neuron, got a ${got}; expected LIF, IF or PLIF (u = tau*u*(1-o) + x). Use one of those neuron kinds after the "mpbn" norm.`;
  },
  /** Training statistics need more than one value per channel. */
  singleValue(where: string, xShape: readonly number[], count: number): string {
    return (
      `${where}: training mode needs more than one value per channel, got ${count} for x ${shape(xShape)}; expected >= 2 ` +
      `(the unbiased running variance divides by n - 1). Use a larger batch, or setTraining(false) for inference.`
    );
  },
  /** A fused implementation was requested on a backend that has no kernel for it. */
  noFusedKernel(where: string, backend: string, kernel: string): string {
    return (
      `${where}: the fused implementation was requested, got backend "${backend}" without the ${kernel} kernel; ` +
      `expected a backend that registers it (cpu, deepspike-native). Pass implementation: 'auto' or 'composite'.`
    );
  },
  /** fold(): the weight's output axis does not match the norm's channels. */
  foldWeight(where: string, got: readonly number[], channels: number): string {
    const hint =
      got.length === 4 && got[0] === channels
        ? 'It looks like a PyTorch [cout, cin, kh, kw] weight; transpose it with tf.transpose(w, [2, 3, 1, 0]).'
        : got.length === 2 && got[0] === channels
          ? 'It looks like a PyTorch [out, in] weight; transpose it with tf.transpose(w).'
          : 'Pass the weight of the conv/linear layer that feeds this norm.';
    return (
      `${where}: the weight has shape ${shape(got)}, got ${got[got.length - 1] ?? '?'} output channels on the last axis; ` +
      `expected a conv weight [kh, kw, cin, ${channels}] or a linear weight [in, ${channels}]. ${hint}`
    );
  },
  /** fold(): the bias is not `[C]`. */
  foldBias(where: string, got: readonly number[], channels: number): string {
    return `${where}: the bias has shape ${shape(got)}, got ${got.length === 1 ? got[0] : 'rank ' + got.length}; expected [${channels}]. Pass the layer's bias, or null when it has none.`;
  },
  /** foldToThreshold(): some channel has g <= 0. */
  foldThresholdSign(where: string, channels: readonly number[], values: readonly number[]): string {
    const list = channels.slice(0, 8).map((c, i) => `${c} (g = ${values[i]})`).join(', ');
    const more = channels.length > 8 ? ` and ${channels.length - 8} more` : '';
    return (
      `${where}: the folded gain g = lambda*alpha*Vth/sqrt(var+eps) is not positive for channel(s) ${list}${more}, ` +
      `got ${channels.length} such channel(s); expected g > 0 on every channel (a threshold Vth/g needs a positive gain). ` +
      `Use fold(), which folds g into the weights and accepts any sign.`
    );
  },
};
