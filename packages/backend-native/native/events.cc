// Event-driven synaptic delivery for the neuromorphic integer simulator: each input event (a spike
// or a graded value at a flat HWC index) is scattered to the synapses it really has, accumulating
// into float64 membranes as the TypeScript reference (neuromorphic's sim/event-kernels.ts) does —
// same loop order (event, ky, kx, output channel), no FMA contraction, so the sums are bit-identical
// to it for any values and exact for the integers of a quantised graph (below 2^53).
#include "ops.h"
#include "simd_clones.h"

namespace deepspike {

namespace {
// acc[o + co] += v * w[wr + co] over one output pixel's channels of a group (vectorises per ISA).
DS_CLONES void axpyRow(long n, double v, const float* __restrict w, double* __restrict acc) {
  for (long c = 0; c < n; c++) acc[c] += v * (double)w[c];
}
}  // namespace

long eventConv(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, double* acc) {
  const int cinG = g.cin / g.groups, coutG = g.cout / g.groups;
  long ops = 0;
  for (long k = 0; k < count; k++) {
    const long i = idx[k];
    const double v = val[k];
    const int ci = (int)(i % g.cin);
    const long p = i / g.cin;
    const int ix = (int)(p % g.w), iy = (int)(p / g.w);
    const int grp = ci / cinG;
    for (int ky = 0; ky < g.kh; ky++) {
      const int ty = iy + g.ph - ky * g.dh;
      if (ty < 0 || ty % g.sh != 0) continue;
      const int oy = ty / g.sh;
      if (oy >= g.ho) continue;
      for (int kx = 0; kx < g.kw; kx++) {
        const int tx = ix + g.pw - kx * g.dw;
        if (tx < 0 || tx % g.sw != 0) continue;
        const int ox = tx / g.sw;
        if (ox >= g.wo) continue;
        const long wr = ((long)(ky * g.kw + kx) * cinG + (ci - grp * cinG)) * g.cout + (long)grp * coutG;
        const long o = ((long)oy * g.wo + ox) * g.cout + (long)grp * coutG;
        axpyRow(coutG, v, w + wr, acc + o);
        ops += coutG;
      }
    }
  }
  return ops;
}

long eventLinear(long outFeatures, long count, const int* idx, const double* val, const float* w, double* acc) {
  for (long k = 0; k < count; k++) axpyRow(outFeatures, val[k], w + (long)idx[k] * outFeatures, acc);
  return count * outFeatures;
}

}  // namespace deepspike
