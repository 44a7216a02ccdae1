import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { acceptsAbsentGradients } from '@deepspike/core';
import { NativeBackend } from './native-backend.js';

/** The engine fields this module touches (tfjs-core 4.x `Engine`). */
interface TapeEngine {
  addTapeNode(kernelName: string, inputs: unknown, outputs: Tensor[], gradientsFunc: unknown, saved: unknown, attrs: unknown): void;
  state: { activeTape?: Array<{ gradient?: (dys: Array<Tensor | null | undefined>) => unknown }> };
  backend: unknown;
}

const PATCHED = Symbol.for('deepspike.pooledZeroGradients');

/**
 * During backprop tf.js hands a multi-output kernel's gradient a zero tensor for every output that
 * received no gradient, allocating a fresh zeroed array each time (`Engine.addTapeNode`: "TODO: pass
 * dys that are not used ... as null instead of zeros"). The LIF kernel's membrane output `u` is
 * such an output in almost every network: 25 MB of new memory per LIF layer per step on the mnist
 * benchmark, which drove V8 into a full mark-compact every step. On `deepspike-native`, kernels
 * whose gradient accepts absent upstream gradients (`acceptsAbsentGradients`, e.g. `DeepSpikeLIF`)
 * get `null` (no tensor at all); other float32 outputs get zeros from the backend's buffer pool
 * (same values, no allocation). Other backends and dtypes keep tf.js's behaviour. Idempotent.
 */
export function usePooledZeroGradients(): void {
  const engine = tf.engine() as unknown as TapeEngine & { [PATCHED]?: true };
  if (engine[PATCHED]) return;
  engine[PATCHED] = true;
  const original = engine.addTapeNode;
  engine.addTapeNode = function (this: TapeEngine, kernelName, inputs, outputs, gradientsFunc, saved, attrs) {
    original.call(this, kernelName, inputs, outputs, gradientsFunc, saved, attrs);
    const tape = this.state.activeTape;
    const node = tape?.[tape.length - 1];
    if (!node?.gradient || outputs.length < 2) return;
    const gradient = node.gradient;
    const registered = tf.getGradient(kernelName)?.gradFunc ?? (gradientsFunc as tf.GradFunc | null);
    const passNull = registered != null && acceptsAbsentGradients(kernelName);
    node.gradient = (dys) => {
      const backend = this.backend;
      if (!(backend instanceof NativeBackend)) return gradient(dys);
      if (passNull) return registered(dys as Tensor[], saved as Tensor[], attrs as tf.NamedAttrMap);
      return gradient(dys.map((dy, i) => {
        const out = outputs[i] as Tensor;
        if (dy != null || out.dtype !== 'float32') return dy;
        const info = backend.makeTensorInfo([...out.shape], 'float32', backend.pool.zeros(out.size));
        return tf.engine().makeTensorFromTensorInfo(info, backend);
      }));
    };
  };
}
