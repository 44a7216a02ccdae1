/**
 * Every user-facing message of @deepspike/core, in one module so tests can assert them:
 * {@link messages} (registry, plugins, backends, layout, weights), {@link spikingMessages} (spiking
 * ops, neurons, kernels) and {@link layerMessages} (the concrete layers).
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */

export const messages = {
  unknownEntry(kind: string, name: string, registered: readonly string[], plugins: readonly string[], provider: string | undefined): string {
    const list = registered.length > 0 ? registered.join(', ') : '(none)';
    const loaded = plugins.length > 0 ? plugins.join(', ') : '(none)';
    return (
      `Unknown ${kind} "${name}". Registered ${kind}s: ${list}. Did you forget to install a plugin package? ` +
      `${provider ? `First-party ${kind}s come from ${provider}; ` : ''}loaded plugins: ${loaded}.`
    );
  },
  duplicateEntry(kind: string, name: string, existingPlugin: string | undefined, newPlugin: string | undefined): string {
    return (
      `registry.register: ${kind} "${name}" is already registered` +
      `${existingPlugin ? ` by ${existingPlugin}` : ''}, got a second registration` +
      `${newPlugin ? ` from ${newPlugin}` : ''}; expected each name once. ` +
      `Pick another name, or pass {override: true} to replace it on purpose.`
    );
  },
  unknownKind(kind: string, kinds: readonly string[]): string {
    return `registry: unknown kind "${kind}", got "${kind}"; expected one of ${kinds.join(', ')}.`;
  },
  pluginNotFound(name: string, cause: string, loaded: readonly string[]): string {
    return (
      `loadPlugins: cannot import plugin package "${name}": ${cause}. ` +
      `Loaded plugins: ${loaded.length > 0 ? loaded.join(', ') : '(none)'}. Install it with \`npm install ${name}\`.`
    );
  },
  pluginMalformed(name: string, found: string): string {
    return (
      `loadPlugins: package "${name}" is not a DeepSpike plugin, got exports ${found}; ` +
      `expected an export \`deepspikePlugin = { name, register(registry), schemas? }\`. ` +
      `Check the package name, or add that export to the package.`
    );
  },
  backendUnknown(name: string, known: readonly string[]): string {
    return `initBackend: unknown backend "${name}", got "${name}"; expected one of ${known.join(', ')}. Set DEEPSPIKE_BACKEND to one of them or unset it.`;
  },
  backendForcedFailed(name: string, source: string, cause: string, hint: string): string {
    return `initBackend: the forced backend "${name}" (from ${source}) could not be loaded: ${cause}. ${hint}`;
  },
  backendHint(name: string): string {
    switch (name) {
      case 'tensorflow':
        return (
          'Install @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node where the internet is reachable (their install downloads libtensorflow), ' +
          'or choose another backend. See docs/gpu.md.'
        );
      case 'deepspike-native':
        return 'Install and build @deepspike/backend-native (needs a C++ compiler and node-gyp), or choose another backend.';
      case 'wasm':
        return 'Reinstall @tensorflow/tfjs-backend-wasm so its .wasm files are present, or choose another backend.';
      default:
        return 'Choose another backend.';
    }
  },
  layoutRank(where: string, name: string, shape: readonly number[], expected: string, hint: string): string {
    return `${where}: ${name} has rank ${shape.length}, got shape [${shape.join(', ')}]; expected ${expected}. ${hint}`;
  },
  layoutDim(where: string, name: string, shape: readonly number[], what: string, expected: string, hint: string): string {
    return `${where}: ${name} ${what}, got shape [${shape.join(', ')}]; expected ${expected}. ${hint}`;
  },
  weightsMissing(where: string, names: readonly string[], available: readonly string[]): string {
    return (
      `${where}: the saved weights lack ${names.map((n) => `"${n}"`).join(', ')}, got weights ` +
      `${available.map((n) => `"${n}"`).join(', ') || '(none)'}; expected every parameter of the model. ` +
      `Load a checkpoint saved from the same model.`
    );
  },
  weightsShape(where: string, name: string, got: readonly number[], expected: readonly number[]): string {
    return (
      `${where}: weight "${name}" has shape [${got.join(', ')}], got [${got.join(', ')}]; expected ` +
      `[${expected.join(', ')}]. Load a checkpoint saved from the same model definition.`
    );
  },
  weightsUnexpected(where: string, names: readonly string[]): string {
    return (
      `${where}: the saved weights hold ${names.map((n) => `"${n}"`).join(', ')} which the model does not have, ` +
      `got ${names.length} extra weight(s); expected none. Load a checkpoint saved from the same model, or pass {strict: false}.`
    );
  },
  duplicateParam(where: string, name: string): string {
    return `${where}: parameter "${name}" is declared twice, got a second "${name}"; expected unique names. Rename one of them.`;
  },
};

/** Messages of the spiking ops, neurons and kernels. */
export const spikingMessages = {
  vth(where: string, got: unknown): string {
    return `${where}: the threshold vth must be a finite number > 0, got ${String(got)}; expected vth > 0 (e.g. 0.5). Pass a positive vth.`;
  },
  tau(where: string, got: unknown, upper = '[0, 1)'): string {
    return (
      `${where}: the decay tau must lie in ${upper}, got ${String(got)}; expected ${upper} ` +
      `(u[t] = tau*u[t-1]*(1-o[t-1]) + x[t]; tau = 0 is IF without memory, e.g. 0.25). Pass a decay factor, not a time constant.`
    );
  },
  surrogate(where: string, got: unknown): string {
    const shown = typeof got === 'string' ? `the string "${got}"` : got === null ? 'null' : typeof got;
    return (
      `${where}: surrogate must be a Surrogate object {name, params, derivative(x)}, got ${shown}; expected e.g. rect({alpha: 1}) ` +
      `from @deepspike/surrogate. Build one with registry.get('surrogate', name).create(params).`
    );
  },
  surrogateSpec(where: string, got: unknown): string {
    return (
      `${where}: surrogate must be a Surrogate, a registered name or {name, params}, got ${JSON.stringify(got) ?? String(got)}; ` +
      `expected e.g. "rect" or {name: "atan", params: {alpha: 2}}. Load @deepspike/surrogate to get the named surrogates.`
    );
  },
  rank(where: string, shape: readonly number[], expected: string, hint: string): string {
    return `${where}: x has rank ${shape.length}, got shape [${shape.join(', ')}]; expected ${expected}. ${hint}`;
  },
  dtype(where: string, dtype: string): string {
    return `${where}: x must be float32 currents, got dtype ${dtype}; expected float32. Cast with tf.cast(x, 'float32').`;
  },
  stepShape(where: string, got: readonly number[], expected: readonly number[]): string {
    return (
      `${where}: the step input has shape [${got.join(', ')}], got [${got.join(', ')}]; expected [${expected.join(', ')}] like the ` +
      `previous steps. Call resetState() before feeding a differently shaped sequence.`
    );
  },
  kernelSurrogate(name: string): string {
    return (
      `DeepSpikeSurrogateGrad: surrogate "${name}" is neither a Surrogate object nor registered, got {name: "${name}"}; ` +
      `expected a registered surrogate. Load @deepspike/surrogate (or the plugin defining it) first.`
    );
  },
};

/** Messages of the concrete layers (`src/layers/`). */
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
