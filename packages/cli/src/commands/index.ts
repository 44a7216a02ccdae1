import type { Command } from 'commander';
import { registerBackendCommand } from './backend.js';
import { registerDatasetCommand } from './dataset.js';
import { registerTrainCommand } from './train.js';
import { registerEvaluateCommand } from './evaluate.js';
import { registerValidateCommand } from './validate.js';
import { registerGenerateCommand } from './generate.js';
import { registerPluginCommand } from './plugin.js';
import { registerMapCommand } from './map.js';
import { registerExportNirCommand } from './export-nir.js';
import { registerImportNirCommand } from './import-nir.js';
import { registerBenchCommand } from './bench.js';
import { registerBenchPaperCommand } from './bench-paper.js';

/** Adds one command (or command group) to the program. One file per command in this folder. */
export type CommandRegistrar = (program: Command) => void;

/** Every command of `deepspike`, in help order. */
export const commands: readonly CommandRegistrar[] = [registerBackendCommand, registerValidateCommand, registerGenerateCommand, registerTrainCommand, registerEvaluateCommand, registerDatasetCommand, registerMapCommand, registerExportNirCommand, registerImportNirCommand, registerBenchCommand, registerBenchPaperCommand, registerPluginCommand];
