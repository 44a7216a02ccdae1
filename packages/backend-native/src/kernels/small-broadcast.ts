/**
 * Element-wise binary ops with numpy broadcasting of any kind, for small float32 tensors, in JS:
 * tf.js's cpu kernels map every output index through coordinate arrays (~0.5 ms for the 640
 * elements of a [64, 1] x [64, 10] multiply in a softmax cross-entropy); this walks the output with
 * one odometer and per-input strides (0 along broadcast axes). Each element is the cpu kernel's value:
 * the op in float64 rounded once to float32 (exact for +, -, *, / of float32 operands), Math.max/min.
 */

/** The ops, by the native `binary` op number (0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min). */
const OPS: ReadonlyArray<(x: number, y: number) => number> = [
  (x, y) => x + y, (x, y) => x - y, (x, y) => x * y, (x, y) => x / y, Math.max, Math.min,
];

/** Row-major strides of `shape` aligned to the output's rank, 0 along axes it broadcasts. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const strides = new Array<number>(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1, j = out.length - 1; i >= 0; i--, j--) {
    const d = shape[i] as number;
    if (d !== 1) strides[j] = s;
    s *= d;
  }
  return strides;
}

/**
 * `out = a op b` broadcast to `outShape` (a tf.js broadcast shape of a and b).
 * @param op the native `binary` op number
 */
export function smallBroadcast(op: number, a: Float32Array, aShape: readonly number[], b: Float32Array, bShape: readonly number[], outShape: readonly number[], out: Float32Array): void {
  const f = OPS[op] as (x: number, y: number) => number;
  const rank = outShape.length;
  if (rank === 0) {
    out[0] = f(a[0] as number, b[0] as number);
    return;
  }
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const last = rank - 1;
  const inner = outShape[last] as number;
  const ia = sa[last] as number;
  const ib = sb[last] as number;
  const idx = new Array<number>(rank).fill(0);
  let pa = 0;
  let pb = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let i = 0; i < inner; i++) out[o + i] = f(a[pa + i * ia] as number, b[pb + i * ib] as number);
    // Advance the odometer over the outer axes.
    for (let d = last - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      pa += sa[d] as number;
      pb += sb[d] as number;
      if ((idx[d] as number) < (outShape[d] as number)) break;
      pa -= (sa[d] as number) * (outShape[d] as number);
      pb -= (sb[d] as number) * (outShape[d] as number);
      idx[d] = 0;
    }
  }
}
