/**
 * @deepspike/nx — Nx plugin: every folder holding one `*.snn.json` model file is a project named
 * after the file, with targets `generate` (cached), `train`, `evaluate`, `map`, `export-nir` and
 * `bench` that call the `deepspike` CLI; `generate`'s cache inputs include the plugins a model file
 * names in `"plugins"`. Register it in nx.json: `"plugins": ["@deepspike/nx"]`.
 * @packageDocumentation
 */
export {
  createNodesV2,
  createNodes,
  createModelNodes,
  modelTargets,
  modelDependencies,
  CLI_PACKAGE,
  projectNameOf,
  DuplicateModelError,
  DEEPSPIKE_TARGETS,
  MODEL_FILE_GLOB,
  type DeepSpikeNxOptions,
  type DeepSpikeTarget,
} from './plugin.js';
export { pluginInputs, pluginSpecsOf, workspaceProjectOf, LOCK_FILES } from './plugin-inputs.js';
