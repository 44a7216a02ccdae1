/**
 * Shared plumbing of the surrogate factories: parameter defaults, range checks with house-format
 * errors, and the JSON Schema fragment each family contributes to the DSL.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type SchemaFragment, type Surrogate, type SurrogateEntry } from '@deepspike/core';
import { surrogateMessages as messages } from './messages.js';

/** Declares one numeric parameter of a surrogate family. */
export interface ParamSpec {
  /** Value used when the parameter is not given. */
  readonly default: number;
  /** Lower bound; `exclusive` makes it strict (`alpha > 0`). */
  readonly min?: number;
  readonly exclusive?: boolean;
  /** Integer-valued (e.g. the number of Fourier terms). */
  readonly integer?: boolean;
  /** One line for the schema's `description`. */
  readonly description: string;
}

/** A surrogate family: its registered name, parameters and how to build g' / g from them. */
export interface SurrogateFamily<P extends Record<string, number>> {
  /** Registered lower-kebab name, e.g. `"piecewise-quadratic"`. */
  readonly name: string;
  /** One sentence for listings. */
  readonly description: string;
  readonly params: { readonly [K in keyof P]: ParamSpec };
  /**
   * Builds the pair from validated, complete parameters; `derivativeOps` is g' in tf.js ops, which
   * backends without DeepSpike's kernels (tensorflow, webgl) run on the device.
   */
  build(p: P): { derivative(x: number): number; primitive?(x: number): number; derivativeOps?(x: Tensor): Tensor };
}

function describeRange(spec: ParamSpec): string {
  const parts: string[] = [spec.integer ? 'an integer' : 'a finite number'];
  if (spec.min !== undefined) parts.push(`${spec.exclusive ? '>' : '>='} ${spec.min}`);
  return parts.join(' ');
}

/**
 * Fills defaults and validates `given` against the family's parameter specs.
 * @throws InvalidArgumentError for unknown names, non-numbers and out-of-range values
 */
export function resolveParams<P extends Record<string, number>>(family: SurrogateFamily<P>, given: Readonly<Record<string, unknown>> = {}): P {
  const names = Object.keys(family.params);
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) throw new InvalidArgumentError(messages.unknownParam(family.name, key, names));
  }
  const out: Record<string, number> = {};
  for (const key of names) {
    const spec = family.params[key] as ParamSpec;
    const raw = given[key] === undefined ? spec.default : given[key];
    const ok =
      typeof raw === 'number' &&
      Number.isFinite(raw) &&
      (!spec.integer || Number.isInteger(raw)) &&
      (spec.min === undefined || (spec.exclusive ? raw > spec.min : raw >= spec.min));
    if (!ok) {
      throw new InvalidArgumentError(messages.badParam(family.name, key, raw, describeRange(spec), `{${key}: ${spec.default}}`));
    }
    out[key] = raw;
  }
  return out as P;
}

/** Builds a {@link Surrogate} of `family` from (partial) parameters. */
export function createSurrogate<P extends Record<string, number>>(family: SurrogateFamily<P>, given?: Readonly<Record<string, unknown>>): Surrogate {
  const params = resolveParams(family, given);
  const fns = family.build(params);
  const s: Surrogate = {
    name: family.name,
    params: Object.freeze({ ...params }),
    derivative: fns.derivative,
    ...(fns.primitive ? { primitive: fns.primitive } : {}),
    ...(fns.derivativeOps ? { derivativeOps: fns.derivativeOps } : {}),
  };
  return Object.freeze(s);
}

/** The registry entry of a family (`create(params)`). */
export function surrogateEntry<P extends Record<string, number>>(family: SurrogateFamily<P>): SurrogateEntry {
  return { description: family.description, create: (params) => createSurrogate(family, params) };
}

/** The JSON Schema fragment (2020-12) of a family's parameter object. */
export function surrogateSchema<P extends Record<string, number>>(family: SurrogateFamily<P>): SchemaFragment {
  const properties: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(family.params) as Array<[string, ParamSpec]>) {
    const prop: Record<string, unknown> = { type: spec.integer ? 'integer' : 'number', default: spec.default, description: spec.description };
    if (spec.min !== undefined) prop[spec.exclusive ? 'exclusiveMinimum' : 'minimum'] = spec.min;
    properties[key] = prop;
  }
  return {
    kind: 'surrogate',
    name: family.name,
    schema: { type: 'object', description: family.description, properties, additionalProperties: false },
  };
}
