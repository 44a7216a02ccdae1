import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { io } from '@tensorflow/tfjs-core';
import { DeepSpikeError } from '../errors.js';
import { syncDir, writeFileDurably } from './durable.js';

/** Name of the JSON file a saved model directory holds (tf.js layout). */
export const MODEL_JSON = 'model.json';

/**
 * A tf.js IOHandler that saves and loads `model.json` + binary weights in a directory, the layout
 * of tfjs-node's `file://` handler. Saving is crash-safe: the weights go to a content-named file,
 * then `model.json` (which names it) is replaced atomically by rename, then stale weight files are
 * removed; a reader sees either the old or the new set, never a mix.
 */
export class FileSystemHandler implements io.IOHandler {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
  }

  async save(artifacts: io.ModelArtifacts): Promise<io.SaveResult> {
    await fs.mkdir(this.dir, { recursive: true });
    const data = artifacts.weightData === undefined ? new ArrayBuffer(0) : tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const bytes = new Uint8Array(data);
    const weightsFile = `weights-${createHash('sha256').update(bytes).digest('hex').slice(0, 16)}.bin`;
    await writeFileDurably(join(this.dir, weightsFile), bytes);
    const modelJSON: io.ModelJSON = {
      modelTopology: artifacts.modelTopology as {},
      weightsManifest: [{ paths: [weightsFile], weights: artifacts.weightSpecs ?? [] }],
      ...(artifacts.format !== undefined ? { format: artifacts.format } : {}),
      ...(artifacts.generatedBy !== undefined ? { generatedBy: artifacts.generatedBy } : {}),
      ...(artifacts.convertedBy != null ? { convertedBy: artifacts.convertedBy } : {}),
      ...(artifacts.userDefinedMetadata !== undefined ? { userDefinedMetadata: artifacts.userDefinedMetadata } : {}),
    };
    await writeFileDurably(join(this.dir, MODEL_JSON), JSON.stringify(modelJSON, null, 1));
    await syncDir(this.dir);
    for (const f of await fs.readdir(this.dir)) {
      if (f !== weightsFile && /^weights-[0-9a-f]{16}\.bin$/.test(f)) await fs.rm(join(this.dir, f), { force: true });
    }
    return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
  }

  async load(): Promise<io.ModelArtifacts> {
    const jsonPath = join(this.dir, MODEL_JSON);
    let text: string;
    try {
      text = await fs.readFile(jsonPath, 'utf8');
    } catch (err) {
      throw new DeepSpikeError(
        `loadWeights: cannot read ${jsonPath}, got ${(err as NodeJS.ErrnoException).code ?? String(err)}; expected a directory written by saveWeights. Check the path.`,
        { cause: err },
      );
    }
    let json: io.ModelJSON;
    try {
      json = JSON.parse(text) as io.ModelJSON;
    } catch (err) {
      throw new DeepSpikeError(`loadWeights: ${jsonPath} is not valid JSON, got ${(err as Error).message}; expected tf.js model.json. The file is damaged; load another checkpoint.`, {
        cause: err,
      });
    }
    return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
      const specs: io.WeightsManifestEntry[] = [];
      const buffers: ArrayBuffer[] = [];
      for (const group of manifest) {
        specs.push(...group.weights);
        for (const p of group.paths) {
          const b = await fs.readFile(join(this.dir, p));
          buffers.push(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
        }
      }
      return [specs, tf.io.concatenateArrayBuffers(buffers)];
    });
  }
}

const FILE_SCHEME = 'file://';
let routersRegistered = false;

/** Registers `file://<dir>` save and load routers with tf.io (idempotent). */
export function registerFileRouters(): void {
  if (routersRegistered) return;
  // tf.io routers answer null for URLs they do not handle (its IORouter type omits the null).
  const router = ((url: string | string[]): io.IOHandler | null =>
    typeof url === 'string' && url.startsWith(FILE_SCHEME) ? new FileSystemHandler(url.slice(FILE_SCHEME.length)) : null) as (url: string | string[]) => io.IOHandler;
  tf.io.registerSaveRouter(router);
  tf.io.registerLoadRouter(router);
  routersRegistered = true;
}
