import { readFileSync } from 'node:fs';
import { DeepSpikeError } from '@deepspike/core';

/** A NumPy array read from a `.npy` file: row-major data and shape. */
export interface NpyArray {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

/**
 * Reads a version 1/2 `.npy` file of little-endian float32/float64/int8..int64/uint8/bool, C order.
 * @throws DeepSpikeError for Fortran order or an unsupported dtype
 */
export function readNpy(path: string): NpyArray {
  const buf = readFileSync(path);
  if (buf.readUInt32BE(0) !== 0x934e554d) throw new DeepSpikeError(`readNpy ${path}: not a .npy file, got a bad magic number; expected \\x93NUMPY. Save it with numpy.save.`);
  const major = buf[6] as number;
  const hlen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = buf.subarray(start, start + hlen).toString('latin1');
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1] ?? '';
  const fortran = /'fortran_order':\s*True/.test(header);
  const shape = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (fortran) throw new DeepSpikeError(`readNpy ${path}: Fortran order, got fortran_order True; expected C order. Save with np.ascontiguousarray.`);
  const body = buf.subarray(start + hlen);
  const ab = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength);
  const views: Record<string, (b: ArrayBuffer) => ArrayLike<number | bigint>> = {
    '<f4': (b) => new Float32Array(b), '<f8': (b) => new Float64Array(b), '|u1': (b) => new Uint8Array(b), '|b1': (b) => new Uint8Array(b),
    '|i1': (b) => new Int8Array(b), '<i2': (b) => new Int16Array(b), '<i4': (b) => new Int32Array(b), '<i8': (b) => new BigInt64Array(b),
  };
  const view = views[descr];
  if (!view) throw new DeepSpikeError(`readNpy ${path}: dtype ${descr} is not supported, got ${descr}; expected one of ${Object.keys(views).join(', ')}. Convert the array.`);
  const src = view(ab);
  const data = new Float64Array(src.length);
  for (let i = 0; i < src.length; i++) data[i] = Number(src[i]);
  return { data, shape };
}
