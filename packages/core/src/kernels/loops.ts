/**
 * The arithmetic of the fused LIF kernels on plain typed arrays, shared by the JS backends' kernel
 * wrappers (cpu, wasm). See README.md for the contract.
 */

/**
 * Forward pass over T: `u[t] = fround(fround(tau*u[t-1])*(1 - o[t-1]) + x[t])`, `o[t] = H(u[t] - vth)`.
 * @param x [T*M] currents; `u`, `o` [T*M] outputs (written)
 */
export function lifForwardLoop(x: Float32Array, t: number, vth: number, tau: number, u: Float32Array, o: Float32Array): void {
  const m = t === 0 ? 0 : x.length / t;
  const tau32 = Math.fround(tau);
  const vth32 = Math.fround(vth);
  for (let i = 0; i < m; i++) {
    const ui = x[i] as number;
    u[i] = ui;
    o[i] = ui - vth32 >= 0 ? 1 : 0;
  }
  for (let s = 1; s < t; s++) {
    const base = s * m;
    const prev = base - m;
    for (let i = 0; i < m; i++) {
      // (1 - o) is 0 or 1, so only tau*u and the sum round; the Float32Array store rounds the sum.
      u[base + i] = o[prev + i] === 1 ? (x[base + i] as number) : Math.fround(tau32 * (u[prev + i] as number)) + (x[base + i] as number);
      o[base + i] = (u[base + i] as number) - vth32 >= 0 ? 1 : 0;
    }
  }
}

/**
 * Reverse pass over T (`gu[T] = 0`): `go = dS + (detach ? 0 : gu[t+1]*(-tau*u))`,
 * `gu[t] = dU + go*sg + gu[t+1]*tau*(1 - o)`, `dx[t] = gu[t]`.
 * @param dx [T*M] output (written)
 */
export function lifBackwardLoop(
  dS: Float32Array,
  dU: Float32Array,
  u: Float32Array,
  o: Float32Array,
  sg: Float32Array,
  t: number,
  tau: number,
  detachReset: boolean,
  dx: Float32Array,
): void {
  const m = t === 0 ? 0 : u.length / t;
  const tau32 = Math.fround(tau);
  const last = (t - 1) * m;
  for (let i = 0; i < m; i++) {
    const k = last + i;
    dx[k] = (dU[k] as number) + (dS[k] as number) * (sg[k] as number);
  }
  for (let s = t - 2; s >= 0; s--) {
    const base = s * m;
    for (let i = 0; i < m; i++) {
      const k = base + i;
      const next = dx[k + m] as number;
      const go = detachReset ? (dS[k] as number) : (dS[k] as number) + next * -(tau32 * (u[k] as number));
      dx[k] = (dU[k] as number) + go * (sg[k] as number) + next * tau32 * (1 - (o[k] as number));
    }
  }
}
