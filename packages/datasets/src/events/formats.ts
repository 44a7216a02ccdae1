import { extname } from 'node:path';
import type { EventColumns } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { readDatasetFile } from '../io/read-file.js';
import { decodeAtis } from './atis.js';
import { decodeAedat2 } from './aedat2.js';
import { decodeAedat3 } from './aedat3.js';

/** The event file formats this package reads. */
export type EventFormat = 'nmnist' | 'ncaltech101' | 'aedat3' | 'aedat2';

/** Per format: the sensor `[width, height]` and the decoder. */
export const EVENT_FORMATS: Readonly<Record<EventFormat, { sensor: readonly [number, number]; decode: (file: string, bytes: Uint8Array) => EventColumns; description: string }>> = {
  nmnist: { sensor: [34, 34], decode: decodeAtis, description: 'N-MNIST ATIS .bin (5 bytes per event)' },
  ncaltech101: { sensor: [240, 180], decode: decodeAtis, description: 'N-Caltech101 ATIS .bin (5 bytes per event)' },
  aedat3: { sensor: [128, 128], decode: decodeAedat3, description: 'AEDAT 3.1 (DVS128 Gesture)' },
  aedat2: { sensor: [128, 128], decode: decodeAedat2, description: 'AEDAT 2.0 / jAER (CIFAR10-DVS)' },
};

/** Every format name. */
export const EVENT_FORMAT_NAMES = Object.keys(EVENT_FORMATS) as EventFormat[];

/** Guesses the format: the AEDAT version line, else `.bin` → `nmnist`. */
export function detectEventFormat(file: string, bytes: Uint8Array): EventFormat {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(16, bytes.length)).toString('latin1');
  if (head.startsWith('#!AER-DAT3')) return 'aedat3';
  if (head.startsWith('#!AER-DAT2')) return 'aedat2';
  if (extname(file).toLowerCase() === '.bin') return 'nmnist';
  throw new DatasetFormatError(messages.unknownFormat(file, head.startsWith('#') ? head.split(/\r?\n/)[0]! : extname(file), EVENT_FORMAT_NAMES), file, 0);
}

/** An event file decoded. */
export interface EventFile {
  readonly format: EventFormat;
  /** `[width, height]`. */
  readonly sensor: readonly [number, number];
  readonly events: EventColumns;
}

/**
 * Reads and decodes an event file (whole file in memory; typed-array columns out).
 * @param format forced format; detected from the header/extension when absent
 */
export function readEventFile(file: string, format?: string): EventFile {
  if (format !== undefined && !(format in EVENT_FORMATS)) {
    throw new DatasetFormatError(messages.unknownFormat(file, format, EVENT_FORMAT_NAMES), file);
  }
  const bytes = readDatasetFile(file, 'the event file', 'Check the path.');
  const f = (format as EventFormat | undefined) ?? detectEventFormat(file, bytes);
  return { format: f, sensor: EVENT_FORMATS[f].sensor, events: EVENT_FORMATS[f].decode(file, bytes) };
}
