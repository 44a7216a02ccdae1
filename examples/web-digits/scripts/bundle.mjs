// Bundles the page's script with esbuild for the browser and lays out dist/:
//   dist/index.html, dist/app.js, dist/wasm/*.wasm (tfjs-backend-wasm's binaries),
//   dist/model/ (the checkpoint the page loads: weights + state.json, no optimiser slots, and
//   dataset.json: the training data's normalisation and class names, read from @deepspike/datasets).
//   node scripts/bundle.mjs [--checkpoint DIR]   (default: the newest run under ./model-run)
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { datasetEntries } from '@deepspike/datasets';
import { findModelCheckpoint } from './model.mjs';

const here = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(here, 'dist');

/**
 * DeepSpike's Node-only modules (file IO, the wasm path lookup under Node) are reached only by code
 * the page never runs; in the bundle `node:*` imports resolve to an empty CommonJS module.
 */
const nodeBuiltinsAsEmpty = {
  name: 'node-builtins-as-empty',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => ({ path: args.path, namespace: 'node-empty' }));
    b.onLoad({ filter: /.*/, namespace: 'node-empty' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/** The normalisation and class names of the dataset the checkpoint was trained on (the page normalises drawings the same way). */
export async function datasetInfo(checkpoint) {
  const { spec } = JSON.parse(readFileSync(join(checkpoint, 'state.json'), 'utf8'));
  const { name, options } = spec.training.dataset;
  const entry = datasetEntries[name];
  if (!entry) throw new Error(`bundle: ${checkpoint}/state.json names dataset "${name}", got no such entry; expected one of ${Object.keys(datasetEntries).join(', ')}.`);
  const ds = await entry.open(options ?? {});
  try {
    return { name, normalization: ds.normalization ?? null, classNames: ds.classNames, inputShape: ds.inputShape };
  } finally {
    await ds.close?.();
  }
}

/** Writes dist/ for the checkpoint folder `checkpoint` (a step-* directory). */
export async function bundlePage(checkpoint) {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(join(dist, 'wasm'), { recursive: true });
  const result = await build({
    entryPoints: [join(here, 'src', 'main.ts')],
    outfile: join(dist, 'app.js'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    conditions: ['deepspike-source'],
    define: { 'process.env.NODE_ENV': '"production"' },
    plugins: [nodeBuiltinsAsEmpty],
    logLevel: 'warning',
    metafile: true,
  });
  cpSync(join(here, 'src', 'index.html'), join(dist, 'index.html'));
  cpSync(join(here, 'src', 'style.css'), join(dist, 'style.css'));
  const require = createRequire(import.meta.url);
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
  for (const f of readdirSync(wasmDir)) if (f.endsWith('.wasm')) cpSync(join(wasmDir, f), join(dist, 'wasm', f));
  cpSync(join(checkpoint, 'state.json'), join(dist, 'model', 'state.json'));
  cpSync(join(checkpoint, 'weights'), join(dist, 'model', 'weights'), { recursive: true });
  writeFileSync(join(dist, 'model', 'dataset.json'), JSON.stringify(await datasetInfo(checkpoint)));
  return { dist, bytes: Object.values(result.metafile.outputs).reduce((a, o) => a + o.bytes, 0) };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const flag = process.argv.indexOf('--checkpoint');
  const checkpoint = flag >= 0 ? resolve(process.argv[flag + 1]) : findModelCheckpoint();
  if (!checkpoint || !existsSync(join(checkpoint, 'state.json'))) {
    console.error(`bundle: no checkpoint, got ${checkpoint ?? 'none under model-run/'}; expected a step-* folder with state.json. Run \`npm run model\` first (trains one), or pass --checkpoint DIR.`);
    process.exit(2);
  }
  const { bytes } = await bundlePage(checkpoint);
  console.log(`bundle: wrote ${dist} (${(bytes / 1e6).toFixed(2)} MB of script) for ${checkpoint}`);
}
