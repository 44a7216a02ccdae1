/**
 * Every user-facing message of @deepspike/core, in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
import type { RegistryKind } from './registry/kinds.js';
import { FIRST_PARTY_PROVIDERS } from './registry/first-party.js';

export const messages = {
  unknownEntry(kind: RegistryKind, name: string, registered: readonly string[], plugins: readonly string[]): string {
    const list = registered.length > 0 ? registered.join(', ') : '(none)';
    const loaded = plugins.length > 0 ? plugins.join(', ') : '(none)';
    return (
      `Unknown ${kind} "${name}". Registered ${kind}s: ${list}. Did you forget to install a plugin package? ` +
      `First-party ${kind}s come from ${FIRST_PARTY_PROVIDERS[kind]}; loaded plugins: ${loaded}.`
    );
  },
  duplicateEntry(kind: RegistryKind, name: string, existingPlugin: string | undefined, newPlugin: string | undefined): string {
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
