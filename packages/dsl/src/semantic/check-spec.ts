import { FIRST_PARTY_PROVIDERS, type KindName, type Registry } from '@deepspike/core';
import type { Layer, ModelSpec } from '../generated/model-spec.js';
import type { DslProblem } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import { messages } from '../messages.js';
import { describeErrors } from '../schema/describe-errors.js';
import { fragmentValidator, type CompiledDsl } from '../schema/validator.js';
import { offsetOf, problemFor, type ParsedSource } from '../source/parse.js';
import { propagateShapes, type SampleShape } from './infer-shapes.js';

/** What the semantic checks need. */
export interface CheckContext {
  readonly spec: ModelSpec;
  readonly parsed: ParsedSource;
  readonly registry: Registry;
  readonly dsl: CompiledDsl;
}

/** Losses the DSL knows without `@deepspike/train` loaded (the issue's three). */
const BUILTIN_LOSSES = ['rate-ce', 'rate-mse', 'tet'];

/** Label of each kind in messages, and the names valid without a registry entry. */
const KINDS: Partial<Record<KindName, { label: string; extra?: readonly string[]; builtin?: readonly string[] }>> = {
  encoder: { label: 'encoding', extra: ['events'] },
  neuron: { label: 'neuron kind' },
  surrogate: { label: 'surrogate' },
  norm: { label: 'norm kind', extra: ['none'] },
  dataset: { label: 'dataset' },
  optimizer: { label: 'optimizer' },
  schedule: { label: 'schedule' },
  loss: { label: 'loss', builtin: BUILTIN_LOSSES },
  target: { label: 'target' },
};

/** A dataset entry may tell its sample shape and class count without opening any file. */
interface DescribedDatasetEntry {
  inputShape?: readonly number[] | ((options: Readonly<Record<string, unknown>>) => readonly number[]);
  classes?: number | ((options: Readonly<Record<string, unknown>>) => number);
}

function eachLayer(list: readonly Layer[], base: string, visit: (layer: Layer, path: string) => void): void {
  list.forEach((layer, i) => {
    const path = `${base}/${i}`;
    visit(layer, path);
    if (layer.type === 'repeat') eachLayer(layer.layers, `${path}/layers`, visit);
  });
}

function lastLayer(list: readonly Layer[]): Layer | undefined {
  const last = list[list.length - 1];
  return last?.type === 'repeat' ? lastLayer(last.layers) : last;
}

function sameShape(a: SampleShape, b: SampleShape): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/**
 * The checks a schema cannot express: registered names (with "did you mean"), plugin option schemas,
 * shapes through every layer, readout and loss agreeing, and the dataset's sample shape and classes.
 * @returns problems in source order (empty when the spec is sound)
 * long-function: independent checks in source order, a few lines each, appending to one problem list (so problems come out in file order).
 */
export function checkSpec(ctx: CheckContext): DslProblem[] {
  const { spec, parsed, registry, dsl } = ctx;
  const found: { offset: number; problem: DslProblem }[] = [];
  const add = (path: string, message: string, key = false): void => {
    found.push(problemFor(parsed, path, message, key));
  };

  /** Checks a registered name; skipped for kinds nothing is registered under (the plugin is not loaded). */
  const checkName = (kind: KindName, name: string | undefined, path: string): boolean => {
    if (name === undefined) return true;
    const k = KINDS[kind] ?? { label: kind };
    const registered = registry.names(kind);
    if (registered.length === 0 && !k.builtin) return true;
    const known = [...new Set([...(k.builtin ?? []), ...registered, ...(k.extra ?? [])])];
    if (known.includes(name)) return true;
    add(path, messages.unknownName(k.label, name, known, didYouMean(name, known), FIRST_PARTY_PROVIDERS[kind]));
    return false;
  };

  /** Validates options against the fragment the plugin of `kind`/`name` contributed, if any. */
  const checkOptions = (kind: KindName, name: string | undefined, options: unknown, path: string): void => {
    if (name === undefined || options === undefined) return;
    const fragment = registry.schemas().find((f) => f.kind === kind && f.name === name);
    if (!fragment) return;
    const validate = fragmentValidator(dsl, fragment);
    // On a copy: the fragment's defaults are the plugin's business, not filled into the spec.
    if (!validate(structuredClone(options))) {
      for (const p of describeErrors(validate.errors ?? [], parsed, dsl.layerTypes, path)) {
        found.push({ offset: offsetOf(parsed, p.path), problem: p });
      }
    }
  };

  const named = (kind: KindName, name: string | undefined, options: unknown, namePath: string, optionsPath: string): void => {
    if (checkName(kind, name, namePath)) checkOptions(kind, name, options, optionsPath);
  };

  // Input encoding.
  const encoding = spec.input.encoding ?? 'direct';
  named('encoder', encoding, spec.input.encoderOptions, '/input/encoding', '/input/encoderOptions');
  if (encoding === 'events' && spec.input.shape.length === 3 && spec.input.shape[2] !== 2) {
    add('/input/shape', messages.inputChannels(encoding, spec.input.shape));
  }

  // Neurons, surrogates, norms: the defaults and every layer that overrides them.
  const dn = spec.defaults?.neuron;
  named('neuron', dn?.kind, dn?.options, '/defaults/neuron/kind', '/defaults/neuron/options');
  named('surrogate', dn?.surrogate?.name, dn?.surrogate?.params, '/defaults/neuron/surrogate/name', '/defaults/neuron/surrogate/params');
  const dm = spec.defaults?.norm;
  named('norm', dm?.kind, dm?.options, '/defaults/norm/kind', '/defaults/norm/options');
  eachLayer(spec.layers, '/layers', (layer, path) => {
    if (layer.type === 'neuron') {
      named('neuron', layer.kind ?? dn?.kind, layer.options, `${path}/kind`, `${path}/options`);
      named('surrogate', layer.surrogate?.name, layer.surrogate?.params, `${path}/surrogate/name`, `${path}/surrogate/params`);
    } else if (layer.type === 'norm') {
      named('norm', layer.kind ?? dm?.kind, layer.options, `${path}/kind`, `${path}/options`);
    }
  });

  // MPBN runs inside the neuron layer that follows it (its norm has no meaning on its own).
  const checkMpbn = (list: readonly Layer[], base: string): void => {
    list.forEach((layer, i) => {
      if (layer.type === 'repeat') checkMpbn(layer.layers, `${base}/${i}/layers`);
      if (layer.type !== 'norm' || (layer.kind ?? dm?.kind) !== 'mpbn') return;
      const next = list[i + 1];
      const kind = next?.type === 'neuron' ? (next.kind ?? dn?.kind ?? 'lif') : undefined;
      const ok = next?.type === 'neuron' && next.inputs === undefined && (kind === 'lif' || kind === 'if' || kind === 'plif');
      if (!ok) add(`${base}/${i}`, messages.mpbnNotBeforeNeuron(next === undefined ? 'the end of the layer list' : next.type === 'neuron' ? `a neuron layer of kind "${kind}"${next.inputs ? ' with "inputs"' : ''}` : `a "${next.type}" layer`));
    });
  };
  checkMpbn(spec.layers, '/layers');

  // Shapes, then what the output must be.
  const { report, issues } = propagateShapes(spec, registry);
  for (const i of issues) add(i.path, i.message);
  const readout = spec.readout ?? 'membrane';
  const last = lastLayer(spec.layers);
  if (last && (readout === 'membrane' || readout === 'tet') && last.type !== 'linear') {
    add('/readout', messages.readoutNeedsLinear(readout, last.type));
  } else if (last && readout === 'rate' && last.type !== 'neuron') {
    add('/readout', messages.readoutNeedsNeuron(last.type));
  } else if (issues.length === 0 && report.output.length !== 1) {
    add('/layers', messages.outputNotFlat(report.output));
  }

  // Training and hardware names.
  const t = spec.training;
  if (t) {
    const datasetKnown = checkName('dataset', t.dataset.name, '/training/dataset/name');
    if (datasetKnown) checkOptions('dataset', t.dataset.name, t.dataset.options, '/training/dataset/options');
    named('optimizer', t.optimizer?.name, t.optimizer?.options, '/training/optimizer/name', '/training/optimizer/options');
    named('schedule', t.schedule?.name, t.schedule?.options, '/training/schedule/name', '/training/schedule/options');
    named('loss', t.loss, t.lossOptions, '/training/loss', '/training/lossOptions');
    if (t.loss === 'tet' && readout !== 'tet') add('/training/loss', messages.tetNeedsTetReadout(readout));
    if (datasetKnown && registry.has('dataset', t.dataset.name)) {
      const entry = registry.get('dataset', t.dataset.name) as DescribedDatasetEntry;
      const options = (t.dataset.options ?? {}) as Record<string, unknown>;
      const shape = typeof entry.inputShape === 'function' ? entry.inputShape(options) : entry.inputShape;
      // Event datasets give [T, H, W, 2] frames: T must be the model's timesteps, [H, W, 2] its input.
      const expected = shape && shape.length === 4 ? [spec.timesteps, ...spec.input.shape] : spec.input.shape;
      if (shape && !sameShape(shape, expected)) add('/input/shape', messages.datasetShape(t.dataset.name, shape, expected));
      const classes = typeof entry.classes === 'function' ? entry.classes(options) : entry.classes;
      if (classes !== undefined && issues.length === 0 && report.output.length === 1 && report.output[0] !== classes) {
        const lastPath = report.layers[report.layers.length - 1]?.path ?? '/layers';
        add(lastPath, messages.datasetClasses(t.dataset.name, classes, report.output));
      }
    }
  }
  const h = spec.hardware;
  if (h) named('target', h.target, h.options, '/hardware/target', '/hardware/options');

  return found.sort((a, b) => a.offset - b.offset).map((f) => f.problem);
}
