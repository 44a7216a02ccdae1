import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DeepSpikeError } from '@deepspike/core';
import { messages } from '../paper/messages.js';

/**
 * The model file a `--model` argument names: the path itself when it is a file, else the one
 * `*.snn.json` in that folder (`examples/mnist-tdbn` → `examples/mnist-tdbn/mnist-tdbn.snn.json`).
 * @throws DeepSpikeError when there is none, or several
 */
export function resolveModelFile(path: string): string {
  if (!existsSync(path)) throw new DeepSpikeError(messages.modelNotFound(path));
  if (statSync(path).isFile()) return path;
  const files = readdirSync(path).filter((f) => f.endsWith('.snn.json')).sort();
  if (files.length === 0) throw new DeepSpikeError(messages.modelNotFound(path));
  if (files.length > 1) throw new DeepSpikeError(messages.modelAmbiguous(path, files));
  return join(path, files[0] as string);
}
