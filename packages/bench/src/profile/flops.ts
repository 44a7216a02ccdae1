/** What part of a training step a kernel belongs to, in `deepspike bench profile`'s table. */
export const OP_CLASSES = [
  'conv forward',
  'conv input gradient',
  'conv filter gradient',
  'matmul',
  'tdBN+LIF',
  'LIF',
  'pooling',
  'optimiser',
  'other kernels',
] as const;
/** One row class of the profile. */
export type OpClass = (typeof OP_CLASSES)[number];

const BY_NAME: Readonly<Record<string, OpClass>> = {
  Conv2D: 'conv forward',
  Conv2DBackpropInput: 'conv input gradient',
  Conv2DBackpropFilter: 'conv filter gradient',
  BatchMatMul: 'matmul',
  _FusedMatMul: 'matmul',
  MatMul: 'matmul',
  AvgPool: 'pooling',
  AvgPoolGrad: 'pooling',
  MaxPool: 'pooling',
  MaxPoolGrad: 'pooling',
};

/**
 * The class of a kernel run in the forward/backward pass (the optimiser's kernels are classed by
 * the phase they run in, not by name): convs by direction, DeepSpike's fused tdBN(+LIF) and LIF
 * kernels, pooling and its gradients, the rest together.
 */
export function opClass(kernelName: string): OpClass {
  const known = BY_NAME[kernelName];
  if (known) return known;
  if (kernelName.startsWith('DeepSpikeTdBN')) return 'tdBN+LIF';
  if (kernelName.startsWith('DeepSpikeLIF') || kernelName === 'DeepSpikeSurrogateGrad') return 'LIF';
  return 'other kernels';
}

const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/**
 * Floating-point operations of one kernel call (2 per multiply-add), from its input and output
 * shapes as `tf.profile` reports them; null for kernels without a multiply-add count here.
 * - `Conv2D` (x, filter [KH, KW, C, CO]) -> y: 2 * |y| * KH * KW * C.
 * - `Conv2DBackpropInput` (dy, filter) -> dx: 2 * |dy| * KH * KW * C (the forward's count).
 * - `Conv2DBackpropFilter` (x, dy) -> dW [KH, KW, C, CO]: 2 * |dy| * KH * KW * C.
 * - `BatchMatMul` / `_FusedMatMul` / `MatMul` (a, b, ...) -> c [..., M, N]: 2 * |c| * K, with
 *   K = |a| / (|c| / N) whatever the transposition.
 * A conv that took the spike path or Winograd did fewer multiplies; its count stays the dense one, so
 * its GF/s is the dense-equivalent rate (how fast the layer is, compared with the dense kernel's ceiling).
 */
export function kernelFlops(kernelName: string, inputShapes: readonly (readonly number[])[], outputShapes: readonly (readonly number[])[]): number | null {
  const out = outputShapes[0];
  switch (kernelName) {
    case 'Conv2D': {
      const f = inputShapes[1];
      return out && f && f.length === 4 ? 2 * size(out) * f[0]! * f[1]! * f[2]! : null;
    }
    case 'Conv2DBackpropInput': {
      const [dy, f] = inputShapes;
      return dy && f && f.length === 4 ? 2 * size(dy) * f[0]! * f[1]! * f[2]! : null;
    }
    case 'Conv2DBackpropFilter': {
      const dy = inputShapes[1];
      return dy && out && out.length === 4 ? 2 * size(dy) * out[0]! * out[1]! * out[2]! : null;
    }
    case 'BatchMatMul':
    case '_FusedMatMul':
    case 'MatMul': {
      const a = inputShapes[0];
      if (!a || !out || out.length < 2) return null;
      const n = out[out.length - 1]!;
      const rows = size(out) / n;
      return rows > 0 ? 2 * size(out) * (size(a) / rows) : null;
    }
    default:
      return null;
  }
}

/**
 * The least memory traffic of one conv or matmul call, in bytes: every input and the output read or
 * written once as float32 (`4 * (sum |inputs| + |output|)`), what no schedule can go below. Its
 * flops / bytes is the call's arithmetic intensity on the roofline. Null where flops are not counted.
 */
export function kernelBytes(kernelName: string, inputShapes: readonly (readonly number[])[], outputShapes: readonly (readonly number[])[]): number | null {
  if (kernelFlops(kernelName, inputShapes, outputShapes) === null) return null;
  // convs: the two tensor operands (tf.profile may list shape arguments after them)
  const operands = kernelName.startsWith('Conv2D') ? inputShapes.slice(0, 2) : inputShapes;
  return 4 * (operands.reduce((a, s) => a + size(s), 0) + size(outputShapes[0] ?? []));
}
