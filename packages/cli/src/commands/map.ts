import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { ModelSpec } from '@deepspike/dsl';
import { DeepSpikeError, initBackend, loadInstalledPlugins, registry } from '@deepspike/core';
import { createLoader, openDataset } from '@deepspike/datasets';
import { BOARDS, disposeBatches, exportNetx, exportSpeck, mappingHtml, mapModel, onBoard, takeSamples, type ChipProfile, type FoldMode, type LabelledBatch } from '@deepspike/neuromorphic';
import { CliError } from '../shared/cli-error.js';
import { loadModelSpec, pluginOption } from '../shared/plugin-flag.js';
import { backendFlag, intFlag } from '../shared/flags.js';
import { loadTrainedModel } from '../shared/trained-model.js';
import { requireCheckpointDir, requireModelFile } from '../shared/path-arg.js';

const FOLDS: readonly FoldMode[] = ['weights', 'thresholds', 'auto'];
/** Chip files `--emit` writes: a Speck/DYNAP-CNN configuration, a Lava-DL netx network for Loihi. */
const EMITS = ['speck', 'netx'] as const;
type Emit = (typeof EMITS)[number];

/** The chip file's name in the output folder. */
const emitFile = (emit: Emit, model: string): string => (emit === 'speck' ? `${model}.speck.json` : `${model}.net`);

const fmtNum = (x: number): string => (x >= 1e5 ? x.toExponential(3) : String(Math.round(x * 100) / 100));

/** The chip, or a board of it, from --chips / --board. */
function boardFromFlags(chip: ChipProfile, flags: { chips?: string; board?: string }): ChipProfile {
  const chips = intFlag('map', '--chips', flags.chips);
  try {
    return onBoard(chip, { ...(chips === undefined ? {} : { chips }), ...(flags.board === undefined ? {} : { name: flags.board }) });
  } catch (err) {
    if (err instanceof DeepSpikeError) throw new CliError(`deepspike map: ${err.message}`, 2);
    throw err;
  }
}

interface MapFlags {
  checkpoint: string;
  target?: string;
  bits?: string;
  fold?: string;
  verify?: string;
  dataset?: string;
  chips?: string;
  board?: string;
  out?: string;
  json?: boolean;
  backend?: string;
  plugin?: string[];
  emit?: string;
}

/**
 * `deepspike map <model> --checkpoint DIR --target T [--bits N] [--fold M] [--verify N] [--emit speck|netx]
 * [--out DIR] [--json] [--plugin <spec>]...`: folds, quantises, verifies on N test samples, partitions, checks and
 * places the trained model on the chip; writes mapping.json and mapping.html, and with `--emit` the chip
 * file (`<model>.speck.json` for speck, `<model>.net` netx HDF5 for loihi/loihi2); exit code 2 when the chip
 * cannot hold it. The chip is built with the model file's `hardware.options` (checked against the
 * target's schema fragment when the file is validated) unless `--target` names another chip.
 */
export function registerMapCommand(program: Command): void {
  program
    .command('map')
    .description('map a trained model onto a neuromorphic chip: fold, quantise, verify, partition, place, energy')
    .argument('<model>', 'the model file (*.snn.json)')
    .requiredOption('--checkpoint <dir>', 'a run directory, its checkpoint/ directory or one step-* checkpoint')
    .option('--target <chip>', "chip target (default: the model file's hardware.target)")
    .option('--bits <n>', "weight bits (default: hardware.weightBits, else the chip's)")
    .option('--fold <mode>', `tdBN folding: ${FOLDS.join(', ')} (default: hardware.fold, else auto)`)
    .option('--verify <n>', 'test samples for calibration and integer-vs-float agreement (default 100 when the model file names a dataset, else none: mapping needs no data)')
    .option('--dataset <name>', "dataset of the --verify samples (default: the model file's training.dataset)")
    .option('--chips <n>', 'chips on the board (default 1; loihi: 2 is a Kapoho Bay)')
    .option('--board <name>', `a named board of several chips (${Object.keys(BOARDS).join(', ')})`)
    .option('--out <dir>', 'output directory (default: <model folder>/mapping/<target>)')
    .option('--emit <format>', `also write the chip file: ${EMITS.join(' (Speck/DYNAP-CNN configuration, --target speck), ')} (Lava-DL netx HDF5 for Loihi, --target loihi|loihi2)`)
    .option('--json', 'also print mapping.json to stdout')
    .option('--backend <name>', 'compute backend')
    .addOption(pluginOption())
    .action(runMap);
}

/** The `map` action: settings, trained model, verification samples, mapping, files, report lines. */
async function runMap(file: string, flags: MapFlags): Promise<void> {
  const backend = backendFlag('map', flags.backend);
  requireModelFile('map', file);
  requireCheckpointDir('map', flags.checkpoint);
  await loadInstalledPlugins();
  const spec = await loadModelSpec(file, flags);
  await initBackend(backend, { log: flags.json ? () => {} : undefined });
  const { target, chip, bits, fold, emit, datasetName, verify } = mapSettings(file, spec, flags);
  const model = await loadTrainedModel('map', spec, flags.checkpoint);
  const batches: LabelledBatch[] = [];
  try {
    if (verify > 0 && datasetName) await verifySamples(spec, flags, datasetName, verify, batches);
    else if (!flags.json) console.error('map: no verification (no dataset): firing rates assumed 0.1 spikes per neuron per step for traffic and energy; pass --verify N (with --dataset NAME) to measure them and the integer-vs-float agreement');
    const { report, quantized } = mapModel(model, { inputShape: spec.input.shape, readout: spec.readout ?? 'membrane', chip, bits, fold, batches, modelName: spec.name });
    const out = resolve(flags.out ?? join(dirname(file), 'mapping', target));
    mkdirSync(out, { recursive: true });
    const json = JSON.stringify(report, null, 1);
    writeFileSync(join(out, 'mapping.json'), json);
    writeFileSync(join(out, 'mapping.html'), mappingHtml(report));
    const emitted = emit && report.fits ? await emitChipFile(emit, out, spec.name, quantized, chip, model.timesteps) : null;
    if (emit && !report.fits) console.error(`map: --emit ${emit}: not written, ${chip.name} cannot hold ${spec.name} (see the violations below)`);
    if (flags.json) console.log(json);
    else {
      const agreement = report.agreement === null ? 'not verified' : `agreement ${(report.agreement * 100).toFixed(2)}% on ${report.verify.samples} samples`;
      const board = report.board.chips > 1 ? ` (${report.board.chips} chips${report.board.name ? `, ${report.board.name}` : ''}; ${report.board.chipsUsed} used, ${fmtNum(report.traffic.interChipSpikesPerStep)} inter-chip spikes/step)` : '';
      console.log(`map: ${spec.name} on ${chip.name}${board}: ${report.cores.used}/${report.cores.available} cores, ${agreement}, ${report.sops.toExponential(3)} SOPs/sample`);
      console.log(`map: wrote ${join(out, 'mapping.json')} and mapping.html${emitted ? ` and ${emitted}` : ''}`);
    }
    if (!flags.json) for (const p of report.partialSums) console.error(`map: ${p.message}`);
    for (const v of report.violations) console.error(`map: ${v.severity === 'warning' ? 'warning: ' : ''}${v.message}`);
    const errors = report.violations.filter((v) => v.severity === 'error').length;
    if (!report.fits) throw new CliError(`deepspike map: ${chip.name} cannot hold ${spec.name}: ${errors} design-rule violation(s), listed above.`, 2);
  } finally {
    disposeBatches(batches);
    model.dispose();
  }
}

/** The chip, bits, fold, emit format and verification the flags and the model file ask for (bad values: CliError, exit code 2). */
function mapSettings(file: string, spec: ModelSpec, flags: MapFlags) {
  const target = flags.target ?? spec.hardware?.target;
  if (!target) throw new CliError('deepspike map: no target, got neither --target nor hardware.target; expected a chip name. Pass --target loihi (or another registered chip).', 2);
  if (!registry.has('target', target)) throw new CliError(`deepspike map: --target got "${target}"; expected one of ${registry.names('target').join(', ')}.`, 2);
  // hardware.options belong to hardware.target (the DSL checked them against its schema fragment).
  const own = target === spec.hardware?.target;
  if (!own && Object.keys(spec.hardware?.options ?? {}).length > 0) console.error(`map: hardware.options are for ${spec.hardware?.target}; ${target} is built with its defaults`);
  const single = registry.get('target', target).create(own ? (spec.hardware?.options ?? {}) : {});
  const chip = boardFromFlags(single, flags);
  const bits = flags.bits === undefined ? (spec.hardware?.weightBits ?? chip.weightBits.value) : Number(flags.bits);
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new CliError(`deepspike map: --bits got "${flags.bits ?? bits}"; expected an integer in [2, 16] (${chip.name} stores ${chip.weightBitsRange[0]}..${chip.weightBitsRange[1]}-bit weights).`, 2);
  const fold = (flags.fold ?? spec.hardware?.fold ?? 'auto') as FoldMode;
  if (!FOLDS.includes(fold)) throw new CliError(`deepspike map: --fold got "${fold}"; expected one of ${FOLDS.join(', ')}.`, 2);
  const emit = flags.emit as Emit | undefined;
  if (emit !== undefined && !EMITS.includes(emit)) throw new CliError(`deepspike map: --emit got "${flags.emit}"; expected one of ${EMITS.join(', ')}.`, 2);
  if (emit === 'speck' && !single.coreKinds) throw new CliError(`deepspike map: --emit speck writes a Speck/DYNAP-CNN configuration, got --target ${target}; expected --target speck.`, 2);
  if (emit === 'netx' && single.quantScheme !== 'loihi') throw new CliError(`deepspike map: --emit netx writes a Lava-DL netx network for Loihi, got --target ${target}; expected --target loihi or loihi2.`, 2);
  const datasetName = flags.dataset ?? spec.training?.dataset?.name;
  const verify = intFlag('map', '--verify', flags.verify) ?? (datasetName ? 100 : 0);
  if (verify > 0 && !datasetName) {
    throw new CliError(`deepspike map: --verify ${verify} needs test samples, got no dataset (${file} has no training.dataset); expected a dataset name. Pass --dataset mnist (or another registered dataset), or map without --verify: mapping itself needs no data.`, 2);
  }
  return { target, chip, bits, fold, emit, datasetName, verify };
}

/** Up to `verify` test samples of the dataset the model file (or --dataset) names, into `batches` (the caller disposes them). */
async function verifySamples(spec: ModelSpec, flags: MapFlags, datasetName: string, verify: number, batches: LabelledBatch[]): Promise<void> {
  const options = flags.dataset === undefined || flags.dataset === spec.training?.dataset?.name ? (spec.training?.dataset?.options ?? {}) : {};
  const dataset = await openDataset(datasetName, options);
  const loader = createLoader(dataset, { split: 'test', batchSize: Math.min(32, verify), shuffle: false, seed: 0 });
  let n = 0;
  for await (const b of loader) {
    const s = takeSamples(b, verify - n);
    batches.push(s);
    n += s.count;
    if (n >= verify) break;
  }
}

/** Writes the chip file of `--emit` into `out`. @returns its path */
async function emitChipFile(emit: Emit, out: string, name: string, quantized: Parameters<typeof exportSpeck>[0], chip: ReturnType<typeof boardFromFlags>, timesteps: number): Promise<string> {
  const emitted = join(out, emitFile(emit, name));
  try {
    if (emit === 'speck') exportSpeck(quantized, emitted, { model: name, ...(chip.coreKinds ? { cores: chip.coreKinds.value } : {}) });
    else await exportNetx(quantized, emitted, timesteps);
  } catch (err) {
    if (err instanceof DeepSpikeError) throw new CliError(`deepspike map: --emit ${emit}: ${err.message}`, 2);
    throw err;
  }
  return emitted;
}
