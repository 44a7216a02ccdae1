import {
  IndentationText,
  NewLineKind,
  Project,
  QuoteKind,
  StructureKind,
  type ClassDeclarationStructure,
  type InterfaceDeclarationStructure,
  type OptionalKind,
  type PropertyDeclarationStructure,
} from 'ts-morph';
import type { ModelSpec } from '@deepspike/dsl';
import { describeNeuron, describeNode, inputShapeText, onceShape, outputShapeText, seqShape } from './describe.js';
import { call, code, literal, quote } from './literal.js';
import { KNOWN_CLASSES, type KnownClass } from './known-classes.js';
import { generatedFileName } from './naming.js';
import { planModel, type ModelPlan, type NeuronPlan, type NormPlan, type PlanNode, type ShapeAware } from './plan.js';
import { forwardSteps, isGraph, runsFirstLayerOnce, stepCall, stepFunction, stepInputs, stepOutput, stepRunsOnce } from './forward-steps.js';
import { graphForwardLines } from './emit-graph-forward.js';

/** Options of {@link emitModel}. */
export interface EmitModelOptions {
  /** The model file the spec was read from, as it should appear in the banner (e.g. `examples/mnist-tdbn/mnist-tdbn.snn.json`). */
  readonly sourceFile: string;
  /** Output shapes of plugin layer types (default: none known, shapes pass through unchanged). */
  readonly lookupPlugin?: (type: string) => ShapeAware;
}

/** A generated file. */
export interface EmittedFile {
  /** File name, relative to the output folder (`<model-name>.generated.ts`). */
  readonly path: string;
  readonly content: string;
}

/** The class a registry-made node is checked against, when its kind is a known first-party one. */
function knownClass(node: PlanNode): KnownClass | undefined {
  const l = node.layer;
  if (l.type === 'neuron') return l.recurrent ? { className: 'RecurrentNeuron', module: '@deepspike/core' } : KNOWN_CLASSES.neuron[l.neuron.kind];
  if (l.type === 'norm') return KNOWN_CLASSES.norm[l.norm.kind];
  return undefined;
}

const FIELD_TYPES: Readonly<Record<PlanNode['layer']['type'], string>> = {
  conv2d: 'Conv2d',
  linear: 'Linear',
  norm: 'Layer',
  neuron: 'NeuronLayer',
  pool: 'Pool',
  globalAvgPool: 'GlobalAvgPool',
  flatten: 'Flatten',
  dropout: 'Dropout',
  basic: 'BasicBlock',
  bottleneck: 'Bottleneck',
  sew: 'SewBlock',
  ms: 'MsBlock',
  spikformerPatchSplit: 'SpikformerPatchSplit',
  spikformerBlock: 'SpikformerBlock',
  plugin: 'Layer',
};

/** Residual blocks: built from the model-wide norm and neuron specs. */
const BLOCK_TYPES: ReadonlySet<string> = new Set(['basic', 'bottleneck', 'sew', 'ms', 'spikformerPatchSplit', 'spikformerBlock']);
const isBlock = (l: PlanNode['layer']): l is Extract<PlanNode['layer'], { type: 'basic' | 'bottleneck' | 'sew' | 'ms' | 'spikformerPatchSplit' | 'spikformerBlock' }> => BLOCK_TYPES.has(l.type);

/** An import of named bindings, wrapped one per line past 120 columns. */
function importLine(names: readonly string[], from: string): string {
  const inline = `import { ${names.join(', ')} } from ${quote(from)};`;
  return inline.length <= 120 ? inline : `import {\n${names.map((n) => `  ${n},\n`).join('')}} from ${quote(from)};`;
}

/** Object entries of `extra` minus the keys that `fixed` sets afterwards (same values as a spread, without duplicate keys). */
function spreadThen(extra: Readonly<Record<string, unknown>>, fixed: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(extra)) if (!(k in fixed)) out[k] = v;
  return { ...out, ...fixed };
}

/** Names the surrogate objects the constructor creates (one per distinct surrogate). */
function surrogateVars(plan: ModelPlan): Map<string, { name: string; ref: NeuronPlan['surrogate'] }> {
  const refs: NeuronPlan['surrogate'][] = [];
  const keyOf = (n: NeuronPlan): string => JSON.stringify([n.surrogate.name, n.surrogate.params]);
  const seen = new Set<string>();
  const add = (n: NeuronPlan): void => {
    const k = keyOf(n);
    if (!seen.has(k)) {
      seen.add(k);
      refs.push(n.surrogate);
    }
  };
  for (const node of plan.nodes) {
    const l = node.layer;
    if (l.type === 'neuron') add(l.neuron);
    if (isBlock(l)) add(l.neuron);
  }
  const out = new Map<string, { name: string; ref: NeuronPlan['surrogate'] }>();
  refs.forEach((ref, i) => out.set(JSON.stringify([ref.name, ref.params]), { name: refs.length === 1 ? 'surrogate' : `surrogate${i + 1}`, ref }));
  return out;
}

function normOptionsCode(n: NormPlan): Record<string, unknown> {
  return spreadThen(n.options, { epsilon: n.epsilon, momentum: n.momentum, timesteps: code('timesteps') });
}

function neuronOptionsCode(n: NeuronPlan, surrogate: string, seed?: unknown): Record<string, unknown> {
  // Sequence neurons (PSN) are sized by T: they get the model's timesteps (and their own seed).
  const sequence = KNOWN_CLASSES.neuron[n.kind]?.sequence ? { timesteps: code('timesteps'), ...(seed === undefined ? {} : { seed }) } : {};
  return spreadThen(n.options, { vth: n.vth, tau: n.tau, detachReset: n.detachReset, surrogate: code(surrogate), ...sequence });
}

/** The statement creating one node's field (mirrors build-model.ts's `instantiate`). */
function createStatement(node: PlanNode, surrogateOf: (n: NeuronPlan) => string, indent: string): string {
  const f = node.field;
  const l = node.layer;
  const seed = code(`deriveSeed(seed, ${quote(f)})`);
  const start = `${indent}this.${f} = this.addChild(${quote(f)}, `;
  const make = (prefix: string, value: unknown): string => `${start}${call(start, prefix, value, '));')}`;
  const blockOptions = (o: object): unknown => ({ ...o, norm: code('norm'), neuron: code('neuron'), registry: code('registry'), seed });
  switch (l.type) {
    case 'conv2d':
      return make(`new Conv2d(${quote(f)}, `, { ...l.options, seed });
    case 'linear':
      return make(`new Linear(${quote(f)}, `, { ...l.options, seed });
    case 'norm': {
      const cls = knownClass(node);
      const options = { ...normOptionsCode(l.norm), channels: l.channels, alpha: l.alpha, vth: l.vth, name: f };
      const create = `registry.get('norm', ${quote(l.norm.kind)}).create(`;
      return cls ? `${start}${call(start, `asLayerClass(${create}`, options, `), ${cls.className}));`)}` : make(create, options);
    }
    case 'neuron': {
      const cls = knownClass(node);
      const spec = { kind: l.neuron.kind, options: neuronOptionsCode(l.neuron, surrogateOf(l.neuron), seed) };
      if (l.recurrent) {
        const inner = `createNeuron('neuron', ${literal(spec)}, { registry }) as NeuronLayer`;
        return `${start}new RecurrentNeuron(${quote(f)}, ${inner}, ${literal({ ...l.recurrent, seed })}));`;
      }
      const create = `createNeuron(${quote(f)}, `;
      return cls ? `${start}${call(start, `asLayerClass(${create}`, spec, `, { registry }), ${cls.className}));`)}` : `${start}${call(start, create, spec, ', { registry }));')}`;
    }
    case 'pool':
      return make(`new Pool(${quote(f)}, `, l.options);
    case 'globalAvgPool':
      return `${start}new GlobalAvgPool(${quote(f)}));`;
    case 'flatten':
      return `${start}new Flatten(${quote(f)}));`;
    case 'dropout':
      return make(`new Dropout(${quote(f)}, `, { ...l.options, seed });
    case 'basic':
      return make(`new BasicBlock(${quote(f)}, `, blockOptions(l.options));
    case 'bottleneck':
      return make(`new Bottleneck(${quote(f)}, `, blockOptions(l.options));
    case 'sew':
      return make(`new SewBlock(${quote(f)}, `, blockOptions(l.options));
    case 'ms':
      return make(`new MsBlock(${quote(f)}, `, blockOptions(l.options));
    case 'spikformerPatchSplit':
      return make(`new SpikformerPatchSplit(${quote(f)}, `, blockOptions(l.options));
    case 'spikformerBlock':
      return make(`new SpikformerBlock(${quote(f)}, `, blockOptions(l.options));
    case 'plugin':
      return make(`registry.get('layer', ${quote(l.layerType)}).create(`, { ...l.options, name: f, seed });
  }
}

function readoutDoc(plan: ModelPlan): string {
  const last = plan.nodes[plan.nodes.length - 1]?.field ?? 'the input';
  if (plan.readout === 'membrane') return `logits: the mean over T of ${last}'s output (membrane readout)`;
  if (plan.readout === 'rate') return `logits: the firing rate of ${last} over T (rate readout)`;
  return `per-step outputs of ${last} for the TET loss`;
}

/**
 * Emits the typed model class of a spec: `export class <PascalName> extends SpikingModel` with one
 * `readonly` field per layer (concrete classes from `@deepspike/core` for stateless layers and
 * blocks; the first-party neuron and norm classes, checked with `asLayerClass`, for neurons and norms
 * of known kinds; `NeuronLayer` / `Layer` for plugin kinds and layers), a typed constructor taking
 * `{seed, timesteps, registry}` overrides, `forward(x)` with shape comments, `static spec`, and
 * `inputShape`/`outputShape` as readonly tuples. Pure and deterministic: the same spec and source
 * file name give byte-identical output. The class builds exactly what {@link buildModel} builds
 * (same parameter names, initial values and outputs for every example model file: test/twins.test.ts).
 * long-function: the template of the generated file; other work is adding layer kinds to it now, so it is split after that lands. test/twins.test.ts keeps it in step with buildModel.
 */
export function emitModel(spec: ModelSpec, options: EmitModelOptions): EmittedFile {
  const plan = planModel(spec, options.lookupPlugin);
  const cls = plan.className;
  const surrogates = surrogateVars(plan);
  const surrogateOf = (n: NeuronPlan): string => surrogates.get(JSON.stringify([n.surrogate.name, n.surrogate.params]))?.name ?? 'surrogate';
  const usesBlocks = plan.nodes.some((n) => isBlock(n.layer));
  const known = plan.nodes.map(knownClass);
  const fieldTypes = plan.nodes.map((n, i) => known[i]?.className ?? FIELD_TYPES[n.layer.type]);
  const generic = plan.nodes.map((n) => FIELD_TYPES[n.layer.type]);
  const otherModules = new Map<string, Set<string>>();
  for (const k of known) if (k && k.module !== '@deepspike/core') otherModules.set(k.module, (otherModules.get(k.module) ?? new Set()).add(k.className));

  const usesNeuronLayers = plan.nodes.some((n) => n.layer.type === 'neuron');
  const steps = forwardSteps(plan.nodes, plan.encoding);
  const once = runsFirstLayerOnce(steps);
  const stepFunctions = new Set(steps.flatMap((st) => stepFunction(st) ?? []));
  const coreClasses = known.flatMap((k) => (k && k.module === '@deepspike/core' ? [k.className] : []));
  const stateless = generic.filter((t) => t !== 'NeuronLayer' && t !== 'Layer');
  const coreValues = new Set<string>([
    'SpikingModel',
    'Readout',
    'tidy',
    'deriveSeed',
    once ? 'encodeInputOnce' : 'encodeInput',
    'neuronLayersOf',
    ...stateless,
    ...coreClasses,
    ...(usesNeuronLayers ? ['createNeuron'] : []),
    ...stepFunctions,
    ...(known.some((k) => k !== undefined) ? ['asLayerClass'] : []),
    ...(isGraph(plan.nodes) && steps.some((st) => (stepInputs(st)?.length ?? 0) > 1) ? ['addN'] : []),
  ]);
  // tf.js comes through core's re-exports: the project holding the class need not depend on tfjs-core.
  const coreTypes = ['Encoder', 'NeuronLayer', 'Registry', 'Tensor', ...(fieldTypes.includes('Layer') ? ['Layer'] : []), ...(usesBlocks ? ['NeuronSpec', 'NormSpec'] : [])];
  const coreNames = [...[...coreValues].sort(), 'registry as defaultRegistry', ...coreTypes.sort().map((t) => `type ${t}`)];
  const imports = [
    importLine(coreNames, '@deepspike/core'),
    ...[...otherModules].sort(([a], [b]) => a.localeCompare(b)).map(([m, names]) => importLine([...names].sort(), m)),
    "import type { ModelSpec } from '@deepspike/dsl';",
  ];

  const optionsInterface: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: `${cls}Options`,
    isExported: true,
    docs: [`Overrides of {@link ${cls}}'s construction.`],
    properties: [
      { name: 'seed', hasQuestionToken: true, isReadonly: true, type: 'number', docs: [`Initialisation seed (default ${plan.seed}); layer \`f\` is seeded with \`deriveSeed(seed, f)\`.`] },
      { name: 'timesteps', hasQuestionToken: true, isReadonly: true, type: 'number', docs: [`Time steps T (default ${plan.timesteps}).`] },
      { name: 'registry', hasQuestionToken: true, isReadonly: true, type: 'Registry', docs: ['Where encoders, neurons, norms and surrogates come from (default: the global registry).'] },
    ],
  };

  const staticProps: OptionalKind<PropertyDeclarationStructure>[] = [
    {
      name: 'spec',
      isStatic: true,
      isReadonly: true,
      type: 'ModelSpec',
      // plugin layer types are not in ModelSpec's Layer union (their schemas are merged at run time)
      initializer: `${literal(spec, '  ', 110)}${plan.nodes.some((n) => n.layer.type === 'plugin') ? ' as unknown as ModelSpec' : ''}`,
      docs: ['The model file this class was generated from.'],
    },
    {
      name: 'inputShape',
      isStatic: true,
      isReadonly: true,
      initializer: `${literal(plan.inputShape)} as const`,
      docs: [`Shape of one input sample (${plan.encoding === 'events' ? 'one event frame' : 'before encoding over T'}).`],
    },
    { name: 'outputShape', isStatic: true, isReadonly: true, initializer: `${literal(plan.outputShape)} as const`, docs: ['Shape of one sample\'s output (per time step for the tet readout).'] },
  ];
  const memberProps: OptionalKind<PropertyDeclarationStructure>[] = [
    { name: 'encoder', isReadonly: true, type: 'Encoder | null', docs: [plan.encoding === 'events' ? 'None: event frames already carry T.' : `The "${plan.encoding}" input encoder.`] },
    { name: 'readout', isReadonly: true, type: 'Readout', docs: [`The ${plan.readout} readout.`] },
    ...plan.nodes.map((n, i) => ({ name: n.field, isReadonly: true, type: fieldTypes[i] as string, docs: [describeNode(n)] })),
  ];

  const ctor: string[] = [
    `super(${quote(plan.name)}, options.timesteps ?? ${plan.timesteps});`,
    'const registry = options.registry ?? defaultRegistry;',
    `const seed = options.seed ?? ${plan.seed};`,
    'const timesteps = this.timesteps;',
  ];
  for (const { name, ref } of surrogates.values()) ctor.push(`const ${name} = registry.get('surrogate', ${quote(ref.name)}).create(${literal(ref.params)});`);
  if (usesBlocks) {
    ctor.push(call('    ', 'const neuron: NeuronSpec = ', { kind: plan.neuron.kind, options: neuronOptionsCode(plan.neuron, surrogateOf(plan.neuron)) }, ';'));
    ctor.push(call('    ', 'const norm: NormSpec = ', { kind: plan.norm.kind, options: normOptionsCode(plan.norm) }, ';'));
  }
  if (plan.encoding === 'events') ctor.push('this.encoder = null;');
  else {
    const opts = 'seed' in plan.encoderOptions ? { ...plan.encoderOptions } : { seed: code("deriveSeed(seed, 'encoder')"), ...plan.encoderOptions };
    ctor.push(call('    ', `this.encoder = registry.get('encoder', ${quote(plan.encoding)}).create(`, opts, ');'));
  }
  for (const n of plan.nodes) ctor.push(createStatement(n, surrogateOf, '    ').trimStart());
  ctor.push(`this.readout = new Readout('readout', ${quote(plan.readout)});`);

  const fwd: string[] = [
    'return tidy(() => {',
    `  ${isGraph(plan.nodes) ? 'const input = ' : 'let h = '}${once ? 'encodeInputOnce' : 'encodeInput'}(x, this.encoder, this.timesteps, ${cls}.inputShape, '${cls}.forward'); // ${once ? onceShape(plan.inputShape) : seqShape(plan.inputShape)}`,
    ...(isGraph(plan.nodes)
      ? graphForwardLines(steps)
      : steps.map((st, i) => `  h = ${stepCall(st, 'h')}; // ${(stepRunsOnce(steps, i) ? onceShape : seqShape)(stepOutput(st).outShape)}`)),
    `  return this.readout.forward(h); // ${outputShapeText(plan)}`,
    '});',
  ];

  const classDocs = [
    `${plan.description ? `${plan.description}\n\n` : ''}Generated from \`${options.sourceFile}\` by @deepspike/codegen.\n` +
      `Input ${inputShapeText(plan)}${plan.encoding === 'events' ? ' event frames' : ` encoded over T=${plan.timesteps} by "${plan.encoding}"`}; ` +
      `output ${outputShapeText(plan)} (${plan.readout} readout). Neurons: ${describeNeuron(plan.neuron)}; norm: ${plan.norm.kind}.`,
  ];
  const classStructure: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: cls,
    isExported: true,
    extends: 'SpikingModel',
    docs: classDocs,
    properties: [...staticProps, ...memberProps],
    ctors: [{ parameters: [{ name: 'options', type: `${cls}Options`, initializer: '{}' }], statements: ctor, docs: [`Builds the layers (seeded, from the registry's entries).`] }],
    methods: [
      {
        name: 'forward',
        hasOverrideKeyword: true,
        parameters: [{ name: 'x', type: 'Tensor' }],
        returnType: 'Tensor',
        statements: fwd,
        docs: [
          `Runs the network on a batch.\n@param x ${inputShapeText(plan)} ${plan.encoding === 'events' ? 'event frames' : `static samples, encoded over T by "${plan.encoding}"`}\n@returns ${outputShapeText(plan)} ${readoutDoc(plan)}`,
        ],
      },
      {
        name: 'neuronLayers',
        returnType: 'Map<string, NeuronLayer>',
        statements: ['return neuronLayersOf(this);'],
        docs: ['Every spiking neuron layer by dotted path, for firing-rate monitoring.'],
      },
    ],
  };

  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { indentationText: IndentationText.TwoSpaces, quoteKind: QuoteKind.Single, newLineKind: NewLineKind.LineFeed, useTrailingCommas: true },
  });
  const path = generatedFileName(plan.name);
  const banner =
    `// Generated by @deepspike/codegen from ${options.sourceFile} — do not edit.\n` +
    `// Regenerate with \`deepspike generate ${options.sourceFile}\`.`;
  const file = project.createSourceFile(`/${path}`, {
    statements: [banner, ...imports, optionsInterface, classStructure],
  });
  file.formatText({ indentSize: 2, convertTabsToSpaces: true, ensureNewLineAtEndOfFile: true, semicolons: 'insert' as never });
  return { path, content: file.getFullText() };
}
