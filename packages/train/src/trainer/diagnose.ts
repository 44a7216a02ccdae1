import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Layer } from '@deepspike/core';

function nonFinite(t: Tensor): boolean {
  const bad = tf.tidy(() => tf.any(tf.logicalNot(tf.isFinite(t))));
  const b = (bad.dataSync()[0] as number) !== 0;
  bad.dispose();
  return b;
}

/**
 * Names where a non-finite value first appears: a parameter already holding NaN/Inf, else the
 * first layer (in execution order) whose output is non-finite on `x`, else the first parameter
 * whose gradient is non-finite.
 * @param grads gradients of the failing step, by parameter name (may be empty)
 */
export function findNonFinite(model: Layer, x: Tensor, grads: ReadonlyMap<string, Tensor>): string {
  for (const [name, p] of model.namedParameters()) if (nonFinite(p)) return `parameter "${name}"`;
  const first: string[] = [];
  const patched: Array<[Layer, (x: Tensor) => Tensor]> = [];
  const patch = (layer: Layer, path: string): void => {
    for (const [name, child] of layer.childLayers()) {
      const p = path ? `${path}.${name}` : name;
      patch(child, p);
      const original = child.forward.bind(child);
      patched.push([child, child.forward]);
      child.forward = (input: Tensor): Tensor => {
        const y = original(input);
        if (first.length === 0 && nonFinite(y)) first.push(p);
        return y;
      };
    }
  };
  patch(model, '');
  try {
    model.resetState();
    tf.tidy(() => void model.forward(x));
  } catch {
    // The diagnosis must not hide the original failure.
  } finally {
    for (const [layer, f] of patched) layer.forward = f;
  }
  // Children run inside their parents, so the innermost layer reports first.
  if (first.length > 0) return `the output of layer "${first[0]}"`;
  for (const [name, g] of grads) if (nonFinite(g)) return `the gradient of "${name}"`;
  return 'no single layer (the loss itself overflowed)';
}
