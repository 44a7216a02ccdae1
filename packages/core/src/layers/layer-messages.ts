/**
 * User-facing messages of the concrete layers (`src/layers/`), in one place so tests assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
export const layerMessages = {
  positiveInt(where: string, option: string, got: unknown): string {
    return `${where}: option "${option}" must be a positive integer, got ${JSON.stringify(got)}; expected an integer >= 1. Fix the layer's options.`;
  },
  padding(where: string, got: unknown): string {
    return `${where}: option "padding" must be "same", "valid" or a non-negative integer, got ${JSON.stringify(got)}; expected "same" | "valid" | 0, 1, 2, ... Fix the layer's options.`;
  },
  rate(where: string, got: unknown): string {
    return `${where}: option "rate" must be in [0, 1), got ${JSON.stringify(got)}; expected 0 <= rate < 1. Use a drop probability such as 0.2.`;
  },
  poolMode(where: string, got: unknown): string {
    return `${where}: option "mode" must be "avg", "max" or "sum", got ${JSON.stringify(got)}; expected one of avg, max, sum.`;
  },
  sewConnect(where: string, got: unknown): string {
    return `${where}: option "connect" must be "add", "and" or "iand", got ${JSON.stringify(got)}; expected one of add, and, iand (Fang et al. 2021's element-wise functions). Fix the block's options.`;
  },
  headsDivide(where: string, channels: number, heads: number): string {
    return `${where}: ${heads} heads do not divide the ${channels} channels, got ${channels} % ${heads} = ${channels % heads}; expected channels divisible by heads. Choose heads among the divisors of the embedding size (Spikformer: 8 heads of 48 for 384).`;
  },
  embedDivisible(where: string, embed: number): string {
    return `${where}: option "embed" must be divisible by 8 (the patch-splitting stages have embed/8, /4, /2 channels), got ${embed}; expected 64, 128, 256, 384, ... Fix the layer's options.`;
  },
  patchPools(where: string, got: unknown): string {
    return `${where}: option "pools" must be an integer from 0 to 4 (how many of the four stages end in a 3x3/2 max pool), got ${JSON.stringify(got)}; expected 0-4 (2 for 32x32 CIFAR images, 4 for 128x128 event frames).`;
  },
  inputRank(where: string, shape: readonly number[], expected: string): string {
    return `${where}: x has rank ${shape.length}, got shape [${shape.join(', ')}]; expected ${expected}. Add the time axis first ([T, N, ...]) and keep channels last.`;
  },
  inputFeatures(where: string, shape: readonly number[], got: number, expected: number, what: string): string {
    return `${where}: x has ${got} ${what} on the last axis, got shape [${shape.join(', ')}]; expected ${expected}. Check the previous layer's output size, or the layer's "${what === 'channels' ? 'inChannels' : 'inFeatures'}" option.`;
  },
  poolTooLarge(where: string, shape: readonly number[], size: readonly number[]): string {
    return `${where}: the pooling window [${size.join(', ')}] is larger than the input, got spatial shape [${shape.slice(-3, -1).join(', ')}]; expected a window no larger than the input. Remove the pool or use a smaller size.`;
  },
  emptySequential(where: string): string {
    return `${where}: no layers, got []; expected at least one layer. Pass the layers to the constructor.`;
  },
  unknownNeuronLayer(where: string, kind: string, got: string): string {
    return `${where}: the "${kind}" registry entry returned ${got}; expected a Layer. Fix the plugin that registered "${kind}".`;
  },
  notNeuronLayer(where: string, kind: string, got: string): string {
    return `${where}: the "${kind}" registry entry returned a ${got}, got a layer without recordRates/lastFiringRate/step; expected a NeuronLayer. Make the plugin's neuron class extend NeuronLayer from @deepspike/core.`;
  },
  wrongLayerClass(where: string, expected: string, got: string): string {
    return `${where}: the registry built a ${got}, got ${got}; expected a ${expected} (the class the generated model declares). Regenerate the model class, or register a ${expected} under that name.`;
  },
  eventInput(where: string, shape: readonly number[], expected: [number, readonly number[]]): string {
    return `${where}: event frames have shape [${shape.join(', ')}], got rank ${shape.length}; expected [T=${expected[0]}, N, ${expected[1].join(', ')}]. Load the dataset with the frames and size the model file declares (or override timesteps).`;
  },
  staticInput(where: string, shape: readonly number[], sample: readonly number[]): string {
    return `${where}: the input has shape [${shape.join(', ')}], got rank ${shape.length}; expected [N, ${sample.join(', ')}]. Pass a batch of samples shaped as input.shape in the model file (channels last).`;
  },
};
