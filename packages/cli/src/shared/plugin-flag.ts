import { Option } from 'commander';
import { validateModelFile, type ModelSpec } from '@deepspike/dsl';

const collect = (value: string, previous: readonly string[]): string[] => [...previous, value];

/**
 * The repeatable `--plugin <spec>` option every command reading a model file shares (add it with
 * `.addOption(pluginOption())`): an npm package name (with an optional subpath) resolved as Node
 * resolves an import from the working directory, or a path relative to it. Repeat the flag for
 * several plugins; the action receives them as `plugin: string[]`. Plugins the model file names in
 * its `plugins` field are loaded anyway (resolved from the model file's folder).
 */
export function pluginOption(): Option {
  return new Option('--plugin <spec>', 'plugin package or path to load (repeatable), besides the installed first-party ones and the model file\'s "plugins"')
    .argParser(collect)
    .default([] as string[]);
}

/**
 * The validated spec of a model file, after loading the first-party plugins, the `--plugin` flags
 * (from the working directory) and the model's own `plugins` (from its folder).
 * @throws DslError listing every problem (a model plugin that does not load at `/plugins/<i>`);
 *   PluginError for a `--plugin` flag that does not load
 */
export function loadModelSpec(file: string, flags: { readonly plugin?: readonly string[] }): Promise<ModelSpec> {
  return validateModelFile(file, { plugins: flags.plugin ?? [] });
}
