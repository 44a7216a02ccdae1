// Event-driven synaptic delivery for the neuromorphic integer simulator: each input event (a spike
// or a graded value at a flat HWC index) is scattered to the synapses it really has, accumulating
// into float64 membranes as the TypeScript reference (neuromorphic's sim/event-kernels.ts) does —
// same loop order (event, ky, kx, output channel), no FMA contraction, so the sums are bit-identical
// to it for any values and exact for the integers of a quantised graph (below 2^53).
#include <algorithm>

#include "ops.h"
#include "simd_clones.h"

namespace deepspike {

namespace {
// acc[c] += v * w[c] over one output pixel's channels of a group (the linear layer's rows).
DS_CLONES void axpyRow(long n, double v, const float* __restrict w, double* __restrict acc) {
  for (long c = 0; c < n; c++) acc[c] += v * (double)w[c];
}

// The output coordinate an input at padded offset t reaches along one axis (stride s, `size` outputs),
// or -1 for none. Unit strides (the common case) need no division.
inline __attribute__((always_inline)) int outputAt(int t, bool unit, int s, int size) {
  if (unit) return t >= 0 && t < size ? t : -1;
  if (t < 0 || t % s != 0) return -1;
  return t / s < size ? t / s : -1;
}

// One event's taps when strides and dilations are 1: the taps that reach an output form a
// rectangle of ny x nx, and from its first tap (w, o) each step right moves the weight row by
// tapStride and the output row back one pixel, each step down by kw taps and back one output row:
// no per-tap bounds checks or index arithmetic. The same (ky, kx, channel) order as the general
// loop. kOne: the value is 1 (a spike) and v * w == w exactly, so the multiply is left out.
template <bool kOne, class Acc, class Wt>
inline __attribute__((always_inline)) void deliverRect(const EventConvGeom& g, int ny, int nx, long tapStride, int coutG, Acc v,
                                                       const Wt* __restrict w, Acc* __restrict o) {
  for (int a = 0; a < ny; a++) {
    const Wt* __restrict wr = w + (long)a * g.kw * tapStride;
    Acc* __restrict orow = o - (long)a * g.wo * g.cout;
    for (int b = 0; b < nx; b++, wr += tapStride, orow -= g.cout) {
      if (kOne)
        for (int c = 0; c < coutG; c++) orow[c] += (Acc)wr[c];
      else
        for (int c = 0; c < coutG; c++) orow[c] += v * (Acc)wr[c];
    }
  }
}

// The delivery loop, in the reference's order (event, ky, kx, output channel), into Acc accumulators.
// `decode`, when given, holds (ci, ix, iy) of every input element (no divisions per event). Always
// inlined into the DS_CLONES entry points below, so each row's multiply-adds are compiled for the
// clone's instruction set in place (a call per tap, to a row function, cost more than the row).
template <class Acc, class Wt>
inline __attribute__((always_inline)) long deliverConv(const EventConvGeom& g, long count, const int* __restrict idx,
                                                       const double* __restrict val, const Wt* __restrict w,
                                                       Acc* __restrict acc, const int* __restrict decode) {
  const int cinG = g.cin / g.groups, coutG = g.cout / g.groups;
  const bool unit = g.sh == 1 && g.sw == 1;
  const bool rect = unit && g.dh == 1 && g.dw == 1;
  const long tapStride = (long)cinG * g.cout;
  long ops = 0;
  for (long k = 0; k < count; k++) {
    const long i = idx[k];
    const Acc v = (Acc)val[k];
    int ci, ix, iy;
    if (decode) {
      ci = decode[3 * i];
      ix = decode[3 * i + 1];
      iy = decode[3 * i + 2];
    } else {
      ci = (int)(i % g.cin);
      const long p = i / g.cin;
      ix = (int)(p % g.w);
      iy = (int)(p / g.w);
    }
    const int grp = ci / cinG;
    const long wc = (long)(ci - grp * cinG) * g.cout + (long)grp * coutG;
    if (rect) {
      // oy = iy + ph - ky in [0, ho), ox likewise.
      const int ky0 = std::max(0, iy + g.ph - (g.ho - 1)), ky1 = std::min(g.kh - 1, iy + g.ph);
      const int kx0 = std::max(0, ix + g.pw - (g.wo - 1)), kx1 = std::min(g.kw - 1, ix + g.pw);
      if (ky1 < ky0 || kx1 < kx0) continue;
      // The first reaching tap (ky0, kx0) adds its weight row into output (iy + ph - ky0, ix + pw - kx0).
      const Wt* wr = w + wc + (long)(ky0 * g.kw + kx0) * tapStride;
      Acc* o = acc + ((long)(iy + g.ph - ky0) * g.wo + (ix + g.pw - kx0)) * g.cout + (long)grp * coutG;
      if (v == (Acc)1) deliverRect<true>(g, ky1 - ky0 + 1, kx1 - kx0 + 1, tapStride, coutG, v, wr, o);
      else deliverRect<false>(g, ky1 - ky0 + 1, kx1 - kx0 + 1, tapStride, coutG, v, wr, o);
      ops += (long)(ky1 - ky0 + 1) * (kx1 - kx0 + 1) * coutG;
      continue;
    }
    for (int ky = 0; ky < g.kh; ky++) {
      const int oy = outputAt(iy + g.ph - ky * g.dh, unit, g.sh, g.ho);
      if (oy < 0) continue;
      for (int kx = 0; kx < g.kw; kx++) {
        const int ox = outputAt(ix + g.pw - kx * g.dw, unit, g.sw, g.wo);
        if (ox < 0) continue;
        const Wt* __restrict wr = w + (long)(ky * g.kw + kx) * tapStride + wc;
        Acc* __restrict o = acc + ((long)oy * g.wo + ox) * g.cout + (long)grp * coutG;
        for (int c = 0; c < coutG; c++) o[c] += v * (Acc)wr[c];
        ops += coutG;
      }
    }
  }
  return ops;
}

DS_CLONES long deliverConvF64(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, double* acc,
                              const int* decode) {
  return deliverConv(g, count, idx, val, w, acc, decode);
}

DS_CLONES long deliverConvF32(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, float* acc,
                              const int* decode) {
  return deliverConv(g, count, idx, val, w, acc, decode);
}
}  // namespace

long eventConv(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, double* acc, const int* decode) {
  return deliverConvF64(g, count, idx, val, w, acc, decode);
}

long eventConvExact(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, float* acc, const int* decode) {
  return deliverConvF32(g, count, idx, val, w, acc, decode);
}

std::vector<int> eventConvDecode(const EventConvGeom& g) {
  std::vector<int> d((size_t)g.h * g.w * g.cin * 3);
  for (long i = 0, n = (long)g.h * g.w * g.cin; i < n; i++) {
    const long p = i / g.cin;
    d[3 * i] = (int)(i % g.cin);
    d[3 * i + 1] = (int)(p % g.w);
    d[3 * i + 2] = (int)(p / g.w);
  }
  return d;
}

long eventLinear(long outFeatures, long count, const int* idx, const double* val, const float* w, double* acc) {
  for (long k = 0; k < count; k++) axpyRow(outFeatures, val[k], w + (long)idx[k] * outFeatures, acc);
  return count * outFeatures;
}

}  // namespace deepspike
