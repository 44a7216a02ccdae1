/** Conversions between NIR's channel-first layouts and the graph's channels-last ones. */

/** `[C, ...spatial]` -> `[...spatial, C]` (rank-1 shapes unchanged). */
export function chwToHwcShape(shape: readonly number[]): number[] {
  return shape.length < 2 ? [...shape] : [...shape.slice(1), shape[0] as number];
}

/** `[...spatial, C]` -> `[C, ...spatial]`. */
export function hwcToChwShape(shape: readonly number[]): number[] {
  return shape.length < 2 ? [...shape] : [shape[shape.length - 1] as number, ...shape.slice(0, -1)];
}

/** Reorders data of a channel-first shape into channels-last order. */
export function chwToHwc(data: ArrayLike<number>, chwShape: readonly number[]): Float64Array {
  const out = new Float64Array(data.length);
  if (chwShape.length < 2) {
    out.set(data as ArrayLike<number>);
    return out;
  }
  const c = chwShape[0] as number;
  const hw = data.length / c;
  for (let ch = 0; ch < c; ch++) for (let p = 0; p < hw; p++) out[p * c + ch] = data[ch * hw + p] as number;
  return out;
}

/** Reorders channels-last data into channel-first order. */
export function hwcToChw(data: ArrayLike<number>, hwcShape: readonly number[]): Float64Array {
  const out = new Float64Array(data.length);
  if (hwcShape.length < 2) {
    out.set(data as ArrayLike<number>);
    return out;
  }
  const c = hwcShape[hwcShape.length - 1] as number;
  const hw = data.length / c;
  for (let p = 0; p < hw; p++) for (let ch = 0; ch < c; ch++) out[ch * hw + p] = data[p * c + ch] as number;
  return out;
}

/** NIR conv weight `(Cout, Cin/g, kh, kw)` -> tf.js `[kh, kw, Cin/g, Cout]`. */
export function oihwToHwio(w: ArrayLike<number>, cout: number, cin: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * cin + i) * cout + o] = w[((o * cin + i) * kh + y) * kw + x] as number;
  }
  return out;
}

/** tf.js `[kh, kw, Cin/g, Cout]` -> NIR `(Cout, Cin/g, kh, kw)`. */
export function hwioToOihw(w: ArrayLike<number>, cout: number, cin: number, kh: number, kw: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < cout; o++) for (let i = 0; i < cin; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((o * cin + i) * kh + y) * kw + x] = w[((y * kw + x) * cin + i) * cout + o] as number;
  }
  return out;
}

/** Transposes a row-major `[rows, cols]` matrix. */
export function transpose(w: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c] as number;
  return out;
}
