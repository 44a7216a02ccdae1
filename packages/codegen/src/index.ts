/**
 * @deepspike/codegen — model specs (`*.snn.json`) to models: `emitModel` writes a typed TypeScript
 * class with ts-morph, `buildModel` builds the same model at run time (same layers, parameter names
 * and initial values for the same seed), both from one resolved `planModel`.
 * @packageDocumentation
 */
export { buildModel, BuiltModel, neuronOptions, normOptions, type BuildModelOptions } from './build-model.js';
export { emitModel, type EmitModelOptions, type EmittedFile } from './emit-model.js';
export { forwardSteps, type ForwardStep } from './forward-steps.js';
export { planModel, reservedNames, BUILTIN_LAYER_TYPES, type ModelPlan, type PlanNode, type PlanLayer, type NeuronPlan, type NormPlan, type SurrogateRef, type ShapeAware } from './plan.js';
export { SPEC_DEFAULTS } from './defaults.js';
export { KNOWN_CLASSES, type KnownClass } from './known-classes.js';
export { pascalCase, camelCase, generatedFileName } from './naming.js';
export { messages } from './messages.js';
