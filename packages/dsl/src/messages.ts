/**
 * Every user-facing message of @deepspike/dsl, in one place so tests can assert them.
 *
 * A model-file problem reads `file:line:column  /json/path  what is wrong (got X; expected Y)`;
 * the functions here build the "what is wrong (got X; expected Y)" part.
 */

/** A short, quoted rendering of a JSON value for "got X". */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) {
    const inner = value.length > 6 ? [...value.slice(0, 6).map(show), '...'] : value.map(show);
    return `[${inner.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value);
    return keys.length === 0 ? 'an empty object' : `an object with ${keys.map((k) => JSON.stringify(k)).join(', ')}`;
  }
  return String(value);
}

/** `"a", "b" or "c"` */
export function orList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** The JSON type name of a value, as JSON Schema spells it. */
export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/** A value with its JSON type when that adds anything: `string "4"`, `integer 3`, `null`, `an object with "a"`. */
function typed(value: unknown): string {
  if (value === null || (typeof value === 'object' && !Array.isArray(value))) return show(value);
  return `${jsonType(value)} ${show(value)}`;
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}

/** The package a specifier names (`@scope/name/sub` -> `@scope/name`). */
function packageOf(spec: string): string {
  return spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
}

function quoted(names: readonly string[]): string {
  return names.length > 0 ? names.map((n) => `"${n}"`).join(', ') : '(none registered)';
}

export const messages = {
  // ---- reading the file
  tooLarge(bytes: number, limit: number): string {
    return `model file too large, not parsed (got ${bytes} bytes; expected at most ${limit} bytes). A model file describes a network, it does not hold weights or data.`;
  },
  unreadable(cause: string): string {
    return `cannot read the model file (got ${cause}; expected a readable *.snn.json file)`;
  },
  empty(): string {
    return 'empty model file (got no JSON; expected an object with "name", "input", "timesteps" and "layers")';
  },
  trailingComma(): string {
    return 'invalid JSON: trailing comma (got "," before a closing bracket; expected a value after every comma). Remove the comma.';
  },
  truncated(open: string): string {
    return `invalid JSON: the file ends early (got end of file${open ? ` inside ${open}` : ''}; expected the rest of the document). Is the file truncated?`;
  },
  unexpectedToken(token: string): string {
    return `invalid JSON: unexpected character (got ${JSON.stringify(token)}; expected a JSON value, "," or a closing bracket)`;
  },
  notAnObject(value: unknown): string {
    return `a model file must be a JSON object (got ${jsonType(value)}; expected an object with "name", "input", "timesteps" and "layers")`;
  },

  // ---- schema
  wrongType(value: unknown, expected: readonly string[]): string {
    return `wrong type (got ${typed(value)}; expected ${orList(expected)})`;
  },
  missingProperty(property: string, description: string | undefined): string {
    return `missing required property "${property}" (got nothing; expected "${property}"${description ? `: ${description}` : ''})`;
  },
  unknownProperty(property: string, allowed: readonly string[], suggestion: string | undefined): string {
    return `unknown property "${property}" (got "${property}"; expected one of ${quoted(allowed)}).${didYouMean(suggestion)}`;
  },
  unknownLayerType(type: string, known: readonly string[], suggestion: string | undefined): string {
    return `unknown layer type "${type}" (got "${type}"; expected one of ${quoted(known)}).${didYouMean(suggestion)} Layer types of plugins appear once the plugin is loaded.`;
  },
  layerTypeNotString(value: unknown, known: readonly string[]): string {
    return `layer "type" must be a string (got ${typed(value)}; expected one of ${quoted(known)})`;
  },
  notInEnum(value: unknown, allowed: readonly unknown[], suggestion: string | undefined): string {
    return `not an allowed value (got ${show(value)}; expected ${orList(allowed.map((a) => show(a)))}).${didYouMean(suggestion)}`;
  },
  constMismatch(value: unknown, expected: unknown): string {
    return `wrong value (got ${show(value)}; expected ${show(expected)})`;
  },
  bound(value: unknown, comparison: string, limit: number): string {
    return `out of range (got ${show(value)}; expected a number ${comparison} ${limit})`;
  },
  itemCount(count: number, comparison: string, limit: number): string {
    return `wrong number of items (got ${count}; expected ${comparison} ${limit})`;
  },
  pattern(value: unknown, pattern: string): string {
    return `badly formed (got ${show(value)}; expected a string matching /${pattern}/)`;
  },
  badName(value: unknown, style: string, example: string): string {
    return `badly formed name (got ${show(value)}; expected ${style} letters and digits, e.g. "${example}")`;
  },
  generic(value: unknown, what: string): string {
    return `${what} (got ${show(value)})`;
  },

  // ---- registry names
  unknownName(kindLabel: string, name: string, known: readonly string[], suggestion: string | undefined, provider: string | undefined): string {
    return `unknown ${kindLabel} "${name}" (got "${name}"; expected one of ${quoted(known)}).${didYouMean(suggestion)}${provider ? ` First-party ${kindLabel}s come from ${provider};` : ''} is the plugin that registers it installed?`;
  },

  // ---- semantic checks
  inputRank(shape: readonly number[]): string {
    return `input shape must be [H, W, C] or [C] (got ${show(shape)}; expected 3 or 1 dimensions)`;
  },
  headsDivide(channels: number, heads: number): string {
    return `spikformerBlock: ${heads} heads do not divide the ${channels} token channels (got ${channels} % ${heads} = ${channels % heads}; expected a divisor of ${channels}). Choose heads that divide the embedding size, e.g. 8 for 384.`;
  },
  needsSpatial(type: string, shape: readonly number[]): string {
    return `${type} needs a spatial input [H, W, C] (got ${show(shape)}; expected 3 dimensions). Put it before the flatten/globalAvgPool, or remove it.`;
  },
  unknownInput(name: string, known: readonly string[], hint: string | undefined): string {
    return `inputs names no earlier layer ${show(name)} (got ${show(name)}; expected "input" or the "name" of an earlier top-level layer: ${known.length ? orList(known.map((k) => JSON.stringify(k))) : 'none is named yet'}).${hint ? ` Did you mean "${hint}"?` : ''} Give the layer a "name", or name an earlier one (a layer fed by its own output is a neuron with "recurrent").`;
  },
  laterInput(name: string): string {
    return `inputs names ${show(name)}, a layer that comes later (got a forward reference; expected only earlier layers). Move the layer, or write the feedback as a neuron layer with "recurrent".`;
  },
  inputsInRepeat(): string {
    return `inputs inside a repeat (got "inputs" on a repeated layer; expected layers of a repeat to form a chain). Write the layers out at the top level to wire them as a graph.`;
  },
  inputShapesDiffer(names: readonly string[], shapes: readonly (readonly number[])[]): string {
    return `inputs of different shapes cannot be summed (got ${names.map((n, i) => `${JSON.stringify(n)} ${show(shapes[i] ?? [])}`).join(', ')}; expected one shape). Add a conv/pool/linear so that every input has the same shape.`;
  },
  recurrentNeedsFlat(shape: readonly number[]): string {
    return `recurrent needs a flat neuron input [C] (got ${show(shape)}; expected 1 dimension: the recurrent map is [C, C]). Add a "flatten" or "linear" layer before it, or drop "recurrent".`;
  },
  needsFlat(type: string, shape: readonly number[]): string {
    return `${type} needs a flat input [C] (got ${show(shape)}; expected 1 dimension). Add a "flatten" or "globalAvgPool" layer before it.`;
  },
  windowTooLarge(type: string, window: readonly number[], padded: readonly number[]): string {
    return `${type} window larger than its (padded) input (got window ${show(window)} on ${show(padded)}; expected a window no larger than the input). Use a smaller kernel/size or padding "same".`;
  },
  strideDoesNotDivide(type: string, axis: string, size: number, window: number, stride: number, pad: number, dropped: number): string {
    const padded = pad ? `${size} + 2*${pad}` : `${size}`;
    return (
      `${type} stride ${stride} does not divide the ${axis} (got (${padded} - window ${window}) mod ${stride} = ${(size + 2 * pad - window) % stride}, ` +
      `so the last ${dropped} input row(s)/column(s) are never used; expected (size + 2*padding - window) divisible by the stride). ` +
      `Use padding "same", or a window/stride that divides the input.`
    );
  },
  residualMismatch(input: readonly number[], output: readonly number[]): string {
    return (
      `residual shape mismatch: the identity shortcut carries ${show(input)} but the block outputs ${show(output)} ` +
      `(got shortcut "identity"; expected "projection" when the stride is not 1 or the channels change). Set "shortcut": "projection".`
    );
  },
  readoutNeedsLinear(readout: string, last: string): string {
    return `readout "${readout}" reads the last linear layer's output, with no neuron after it (got last layer "${last}"; expected "linear"). End the network with a linear layer, or use readout "rate".`;
  },
  mpbnNotBeforeNeuron(next: string): string {
    return (
      `an "mpbn" norm normalises the membrane potential of the neuron layer right after it (got ${next}; expected a "neuron" layer of kind lif, if or plif, ` +
      `with no "inputs"). Put the mpbn norm directly before a neuron layer, or use another norm kind here.`
    );
  },
  readoutNeedsNeuron(last: string): string {
    return `readout "rate" averages the spikes of the last layer (got last layer "${last}"; expected "neuron"). End the network with a neuron layer, or use readout "membrane".`;
  },
  outputNotFlat(shape: readonly number[]): string {
    return `the network's output must be class scores [classes] (got ${show(shape)}; expected 1 dimension). End with "globalAvgPool"/"flatten" and a "linear" layer.`;
  },
  tetNeedsTetReadout(readout: string): string {
    return `loss "tet" needs per-step outputs (got readout "${readout}"; expected readout "tet"). Set "readout": "tet".`;
  },
  datasetShape(dataset: string, datasetShape: readonly number[], input: readonly number[]): string {
    return `input shape does not match dataset "${dataset}" (got ${show(input)}; expected ${show(datasetShape)}, the shape its samples have). Fix input.shape or the dataset options.`;
  },
  datasetClasses(dataset: string, classes: number, units: readonly number[]): string {
    return `the network's output does not match dataset "${dataset}" (got ${show(units)} outputs; expected [${classes}], its number of classes). Set the last linear layer's "units" to ${classes}.`;
  },
  inputChannels(encoding: string, shape: readonly number[]): string {
    return `encoding "${encoding}" needs event frames [H, W, 2] (got ${show(shape)}; expected 2 polarity channels)`;
  },

  // ---- plugins named in the model file ("plugins": [...]) or on the command line (--plugin)
  /**
   * A plugin that cannot be found. `flag`: the house form for a `--plugin` flag
   * (`--plugin "x": what, got X; expected Y. fix`) instead of a model-file problem.
   */
  pluginNotFound(spec: string, reason: string, fromDir: string, path: boolean, flag = false, suggestion?: string): string {
    const fix = path
      ? `Fix the path: it is relative to ${flag ? 'the working directory' : "the model file's folder"} ${fromDir}.`
      : `Install it where the ${flag ? 'command runs' : 'model file is'} (\`npm install ${packageOf(spec)}\` in ${fromDir} or a parent folder), or fix the name.${didYouMean(suggestion)}`;
    const expected = path ? 'a plugin module or package folder at that path' : 'an installed npm package exporting deepspikePlugin';
    return flag ? `--plugin ${show(spec)}: not found, got ${reason}; expected ${expected}. ${fix}` : `plugin ${show(spec)} not found (got ${reason}; expected ${expected}). ${fix}`;
  },
  /** A plugin module that was found but does not load or is not a plugin (see {@link messages.pluginNotFound} for `flag`). */
  pluginNotLoadable(spec: string, cause: string, flag = false): string {
    const expected = 'a module exporting `deepspikePlugin = { name, register(registry), schemas? }`';
    const fix = 'Check that it is a DeepSpike plugin and that it is built.';
    return flag ? `--plugin ${show(spec)}: cannot be loaded, got ${cause}; expected ${expected}. ${fix}` : `plugin ${show(spec)} could not be loaded (got ${cause}; expected ${expected}). ${fix}`;
  },

  // ---- API
  invalidModel(file: string, count: number): string {
    return `validateModel: ${file} is not a valid model file, got ${count} problem${count === 1 ? '' : 's'}; expected none. Fix the lines above.`;
  },
};
