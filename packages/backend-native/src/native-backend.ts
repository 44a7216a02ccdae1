import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import type { BackendValues, DataId, DataType, TensorInfo } from '@tensorflow/tfjs-core';
import { loadAddon } from './addon.js';
import { BufferPool, type Aligner } from './buffer-pool.js';

/** How one array buffer is referenced by the backend's tensor data. */
interface BufferUse {
  /** Tensor data entries whose values live in this buffer. */
  refs: number;
  /** False once the buffer is shared, read out by user code, or was not made by a kernel. */
  recyclable: boolean;
}

/**
 * The tf.js backend `deepspike-native`: the cpu backend (tensors are typed arrays in this process)
 * whose heavy kernels run in the addon. Every cpu kernel is registered for it too, so all ops work.
 *
 * Kernel outputs are recycled: when the last tensor data entry over a float32 buffer made by a
 * kernel (`makeTensorInfo`) is disposed, the array returns to {@link NativeBackend.pool}, and the
 * native kernels take their outputs from there. A buffer is never recycled once it could be
 * referenced from outside: when a second entry shares it (reshape-free views such as the cpu
 * slice's `subarray`), when it came from user data (`write` outside a kernel), or when its values
 * were read out (`dataSync`, `data`, `bufferSync`, `arraySync`, which return the array itself on
 * this backend).
 */
export class NativeBackend extends MathBackendCPU {
  /**
   * The free arrays kernel outputs are taken from (`DEEPSPIKE_POOL_MB`, default 2048; 0 disables),
   * 64-byte aligned (a cache line, one AVX-512 vector).
   */
  readonly pool = new BufferPool(poolBytes(), undefined, cacheLineAligner());
  private readonly uses = new WeakMap<ArrayBufferLike, BufferUse>();
  private inKernelOutput = false;

  override makeTensorInfo(shape: number[], dtype: DataType, values?: BackendValues | string[]): TensorInfo {
    this.inKernelOutput = true;
    try {
      return super.makeTensorInfo(shape, dtype, values);
    } finally {
      this.inKernelOutput = false;
    }
  }

  override write(values: BackendValues, shape: number[], dtype: DataType): DataId {
    const id = super.write(values, shape, dtype);
    this.track(values, this.inKernelOutput);
    return id;
  }

  override move(dataId: DataId, values: BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    super.move(dataId, values, shape, dtype, refCount);
    this.track(values, false);
  }

  override readSync(dataId: DataId): BackendValues {
    this.escape(dataId);
    return super.readSync(dataId);
  }

  override read(dataId: DataId): Promise<BackendValues> {
    this.escape(dataId);
    return super.read(dataId);
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const done = super.disposeData(dataId, force);
    if (values !== undefined && !this.data.has(dataId) && ArrayBuffer.isView(values)) {
      const use = this.uses.get(values.buffer);
      if (use && --use.refs === 0) {
        this.uses.delete(values.buffer);
        if (use.recyclable && values instanceof Float32Array) this.pool.give(values);
      }
    }
    return done;
  }

  private track(values: BackendValues | undefined, kernelOutput: boolean): void {
    if (!values || !ArrayBuffer.isView(values)) return;
    const use = this.uses.get(values.buffer);
    if (use) {
      use.refs++;
      use.recyclable = false;
      return;
    }
    const poolable = kernelOutput && values instanceof Float32Array && this.pool.accepts(values);
    this.uses.set(values.buffer, { refs: 1, recyclable: poolable });
  }

  private escape(dataId: DataId): void {
    if (!this.data.has(dataId)) return;
    const values = this.data.get(dataId).values;
    if (values && ArrayBuffer.isView(values)) {
      const use = this.uses.get(values.buffer);
      if (use) use.recyclable = false;
    }
  }
}

/** Aligns the pool's arrays to 64 bytes with the addon's `alignSkip`. */
export function cacheLineAligner(): Aligner {
  const addon = loadAddon();
  return { bytes: 64, skip: (buffer, align) => addon.alignSkip(buffer, align) };
}

/** `DEEPSPIKE_POOL_MB` in bytes (default 2048 MiB). */
function poolBytes(): number {
  const mb = Number(process.env.DEEPSPIKE_POOL_MB ?? '2048');
  return Number.isFinite(mb) && mb >= 0 ? mb * 1024 * 1024 : 2048 * 1024 * 1024;
}
