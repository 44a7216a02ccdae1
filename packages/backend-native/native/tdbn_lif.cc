// tdBN fused into the STBP LIF neuron it feeds (training mode), optionally with a residual added
// between them: spikes = LIF(tdBN(x) [+ r]). The normalised current and the membrane potential are
// never stored. The forward reads x for the statistics, then x [and r] once more while it steps
// each 16 neurons through the T steps in registers (forwardRows), writing the spikes (streamed out
// of a cache-resident block: stream_store.h) or, with a fused average pool, the pooled spikes of
// each group of k image rows as they are summed (forwardPoolRows). The backward's first sweep
// recomputes the potentials from x and runs the LIF reverse pass in registers too (reverseRows),
// accumulating tdBN's gradient sums and storing the neuron input's gradient g (dr when there is a
// residual); a second sweep writes dx from g and x. Doing the T steps in registers, instead of one
// pass per step and per operation over a block in cache, measured on the mnist workload's kernels
// (side by side, caches flushed): pooled forward 1.77 -> 1.11 ms, its backward 3.77 -> 2.42 ms, the
// repeated first layer's forward 2.24 -> 0.98 ms and backward 4.15 -> 2.81 ms.
//
// A repeated x (a direct encoding's first conv computed once: x [n, C] stands for T equal steps)
// is read and normalised once per neuron; the backward writes only the sum over T of the steps' g,
// from which sweep 2 gives dx [n, C] (the repeated tensor's gradient summed over T).
//
// Numerics: the per-element work is float32 (the unfused kernels' float64 made this compute-bound):
// v = kf*(x - mean) + bt [+ r] with kf = (float)(lambda*gain*invStd) and the float32 mean/invStd the
// kernel outputs, identical in the forward and the backward's recomputation, so the recomputed
// potentials equal the forward's bit for bit. The LIF arithmetic is that of lifForward /
// lifBackwardSurrogate (spiking.cc) and the pool's that of avgPool / avgPoolGrad (pool2d.cc),
// operation for operation (the addon builds with -ffp-contract=off). Gradient sums are float32 per
// block of rows and float64 across blocks.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "aligned.h"
#include "ops.h"
#include "pool.h"
#include "simd_clones.h"
#include "spiking_internal.h"
#include "stream_store.h"

namespace deepspike {

namespace {

// Elements per block: whole rows of C channels, about 4096 floats: the forward's spikes of a block
// (T*16 KB) stay in L2 until they are streamed out, and the backward's float32 gradient partial sums
// cover this many rows before they are added in float64.
long blockRows(long C) { return std::max(1L, 4096 / C); }

// The per-channel float32 affine of the normalisation: v = k*(x - m) + b.
struct Affine {
  std::vector<float> k, m, b;
  Affine(long C, const float* lambda, const float* beta, double gain, const float* mean, const float* invStd)
      : k((size_t)C), m(mean, mean + C), b(beta, beta + C) {
    for (long c = 0; c < C; c++) k[c] = (float)((double)lambda[c] * gain * (double)invStd[c]);
  }
};

// The float32 hf with |d| < hf exactly when |d| < 0.5/alpha for every float32 d (the float64 window
// of lifBackStepRect): 0.5/alpha when it is a float32, else the next float32 above it.
float rectWindow(double alpha) {
  const double h = 0.5 / alpha;
  float hf = (float)h;
  if ((double)hf < h) hf = std::nextafter(hf, INFINITY);
  return hf;
}

// How far ahead (floats) the streaming loops prefetch their inputs: across the 4 KB pages the
// hardware prefetchers stop at.
constexpr long kStreamAhead = 512;

// dx = kk*((g - mb) - ((x - m)*rs)*mx) over rows [b, e) of C channels.
DS_CLONES void dxRows(long b, long e, long C, const float* __restrict g, const float* __restrict x,
                      const float* __restrict kk, const float* __restrict mb, const float* __restrict mx,
                      const float* __restrict m, const float* __restrict rs, float* __restrict dx) {
  for (long q = b; q < e; q++) {
    const float* gr = g + q * C;
    const float* xr = x + q * C;
    float* o = dx + q * C;
    for (long c = 0; c < C; c += 16) {
      __builtin_prefetch(gr + kStreamAhead + c, 0, 3);
      __builtin_prefetch(xr + kStreamAhead + c, 0, 3);
    }
    for (long c = 0; c < C; c++) o[c] = kk[c] * ((gr[c] - mb[c]) - ((xr[c] - m[c]) * rs[c]) * mx[c]);
  }
}

typedef float v16 __attribute__((vector_size(64)));
typedef int vi16 __attribute__((vector_size(64)));

// The first L (<= 16) floats at p as a v16 (zeros past L), and back; macros, not functions: a
// helper outside a DS_CLONES function is compiled for the baseline ISA and passes vectors through memory.
#define DS_LOADN(v, p, L)                                  \
  do {                                                     \
    if ((L) == 16) {                                       \
      std::memcpy(&(v), (p), sizeof(v16));                 \
    } else {                                               \
      (v) = v16{};                                         \
      std::memcpy(&(v), (p), (size_t)(L) * sizeof(float)); \
    }                                                      \
  } while (0)
#define DS_STOREN(p, v, L)                                 \
  do {                                                     \
    if ((L) == 16) std::memcpy((p), &(v), sizeof(v16));    \
    else std::memcpy((p), &(v), (size_t)(L) * sizeof(float)); \
  } while (0)

// Step t's normalised current of row q, channels [j, j + L): v = k*(x - m) + b [+ r], x [T, n, C]
// (or [n, C] when repeated); xt receives x's values. Always inlined (L is a constant in the kFull
// callers), so it is compiled for the clone that calls it.
inline __attribute__((always_inline)) v16 currentAt(const float* x, const float* r, bool repeated, long n, long C, long q,
                                                     long t, long j, long L, v16 kv, v16 mv, v16 bv, v16& xt) {
  const long off = (repeated ? q : t * n + q) * C + j;
  DS_LOADN(xt, x + off, L);
  v16 v = kv * (xt - mv) + bv;
  if (r) {
    v16 rt;
    DS_LOADN(rt, r + off, L);
    v = v + rt;
  }
  return v;
}

// What the forward's LIF sweep reads (see forwardRows).
struct ForwardArgs {
  long T, n, C;
  const float* x;               // [T, n, C], or [n, C] when repeated
  const float* r;               // the residual [T, n, C], or null
  const float *k, *m, *b;       // the affine (Affine), per channel
  float vth, tau;
  bool repeated;
};

// One row q, channels [j, j + L) (L = 16 when kFull), of forwardRows: the T steps of 16 neurons in
// registers. Step t's spikes go to out + t*step: stored (the block's spikes), or with kPool added
// to the pooled sums there.
template <bool kFull, bool kPool>
inline __attribute__((always_inline)) void forwardLanes(const ForwardArgs& A, long q, long j, long L, float* __restrict out,
                                                         long step) {
  if (kFull) L = 16;
  const long T = A.T, n = A.n, C = A.C;
  const float vth = A.vth, tau = A.tau;
  v16 kv, mv, bv;
  DS_LOADN(kv, A.k + j, L);
  DS_LOADN(mv, A.m + j, L);
  DS_LOADN(bv, A.b + j, L);
  // v = k*(x - m) + b [+ r] (once for a repeated x), u = (tau*u)*(1 - s) + v, s = H(u - vth).
  v16 u = v16{}, st = v16{}, v = v16{};
  for (long t = 0; t < T; t++) {
    if (!A.repeated || t == 0) {
      v16 xt;
      v = currentAt(A.x, A.r, A.repeated, n, C, q, t, j, L, kv, mv, bv, xt);
    }
    u = (tau * u) * (1.f - st) + v;
    st = u >= vth ? 1.f : 0.f;
    float* o = out + t * step + j;
    if (kPool) {
      v16 acc;
      DS_LOADN(acc, o, L);
      acc = acc + st;
      DS_STOREN(o, acc, L);
    } else {
      DS_STOREN(o, st, L);
    }
  }
}

// Rows [q0, q1) of the forward's LIF sweep, element by element with the T steps in registers
// (lifForward's arithmetic): the spikes of step t go to sp + t*len, len = (q1 - q0)*C.
DS_CLONES void forwardRows(const ForwardArgs& args, long q0, long q1, float* __restrict sp) {
  const ForwardArgs A = args;  // a local copy: the stores below cannot alias it
  const long C = A.C, full = C / 16 * 16, len = (q1 - q0) * C;
  for (long q = q0; q < q1; q++) {
    float* o = sp + (q - q0) * C;
    for (long j = 0; j < full; j += 16) forwardLanes<true, false>(A, q, j, 16, o, len);
    if (full < C) forwardLanes<false, false>(A, q, full, C - full, o, len);
  }
}

// forwardRows followed by the k x k average pool of every step, for rows [q0, q1) that are whole
// groups of k image rows (the pool tiles the image): each window's spikes are summed from 0 in
// scan order as they are computed and divided by k^2 (avgPoolRows's arithmetic), into the pooled
// output y [T, n/k^2, C]. acc: T*(W/k)*C floats.
DS_CLONES void forwardPoolRows(const ForwardArgs& args, const SpikePool& pool, long q0, long q1, float* __restrict y,
                               float* __restrict acc) {
  const ForwardArgs A = args;
  const long C = A.C, full = C / 16 * 16, k = pool.k, W = pool.W, OW = W / k, G = k * W;
  const long pooledStep = A.n / (k * k) * C, accStep = OW * C;
  const float cnt = (float)(k * k);
  for (long g0 = q0; g0 < q1; g0 += G) {
    std::fill(acc, acc + A.T * accStep, 0.f);
    for (long q = g0; q < g0 + G; q++) {
      float* o = acc + (q - g0) % W / k * C;
      for (long j = 0; j < full; j += 16) forwardLanes<true, true>(A, q, j, 16, o, accStep);
      if (full < C) forwardLanes<false, true>(A, q, full, C - full, o, accStep);
    }
    // The group's pooled row: image img, output row h/k.
    float* yr = y + g0 / (k * k) * C;
    for (long t = 0; t < A.T; t++)
      for (long i = 0; i < accStep; i++) yr[t * pooledStep + i] = acc[t * accStep + i] / cnt;
  }
}

// What the backward's first sweep reads and writes (see reverseRows).
struct ReverseArgs {
  ForwardArgs fw;   // what the recomputation of the potentials reads
  const float* dS;  // [T, n, C], or with a pool the pooled spikes' gradient [T, n/k^2, C]
  const float* rs;  // invStd, per channel
  float keep, hf, a;  // keep = 0 detaches the reset; hf, a: the rectangular window and height
  int family;
  double p;
  const SpikePool* pool;
  float mult;   // the pool's 1/k^2
  float* g;     // the neuron input's gradient [T, n, C] (not repeated)
  float* gsum;  // its sum over T [n, C] (repeated)
};

// One row q, channels [j, j + L) (L = 16 when kFull, the compile-time case), of reverseRows: the T
// steps of 16 neurons in registers. Always inlined, so it is compiled for the clone that calls it.
template <bool kFull>
inline __attribute__((always_inline)) void reverseLanes(const ReverseArgs& A, long q, long dq, long dStep, long j, long L,
                                                         v16* __restrict us, v16* __restrict xs, float* __restrict sgb,
                                                         float* __restrict p1, float* __restrict p2) {
  if (kFull) L = 16;
  const ForwardArgs& F = A.fw;
  const long T = F.T, n = F.n, C = F.C;
  const float vth = F.vth, tau = F.tau;
  v16 kv, mv, bv, rsv;
  DS_LOADN(kv, F.k + j, L);
  DS_LOADN(mv, F.m + j, L);
  DS_LOADN(bv, F.b + j, L);
  DS_LOADN(rsv, A.rs + j, L);
  // Forward: v = k*(x - m) + b [+ r], u = (tau*u)*(1 - s) + v, s = H(u - vth).
  v16 up = v16{}, sp = v16{}, v = v16{};
  for (long t = 0; t < T; t++) {
    if (!F.repeated || t == 0) v = currentAt(F.x, F.r, F.repeated, n, C, q, t, j, L, kv, mv, bv, xs[t]);
    const v16 w = (tau * up) * (1.f - sp) + v;
    us[t] = w;
    sp = w >= vth ? 1.f : 0.f;
    up = w;
  }
  // Reverse: go = dS + keep*(nx*(-tau*u)), g = go*sg + nx*(tau*(1 - o)), o = H(u - vth).
  const vi16 absMask = vi16{} + 0x7fffffff;
  const float mult = A.mult, keep = A.keep, hf = A.hf, a = A.a;
  v16 nx = v16{}, gs = v16{}, s1, s2;
  DS_LOADN(s1, p1 + j, L);
  DS_LOADN(s2, p2 + j, L);
  for (long t = T - 1; t >= 0; t--) {
    const v16 u = us[t];
    v16 d;
    DS_LOADN(d, A.dS + t * dStep + dq * C + j, L);
    if (A.pool) d = (0.f + d) * mult;
    v16 sg;
    if (A.family == 0) {
      const v16 dist = (v16)((vi16)(u - vth) & absMask);
      sg = dist < hf ? a : 0.f;
    } else {
      detail::surrogateRange(0, 16, reinterpret_cast<const float*>(&us[t]), vth, A.family, A.p, sgb);
      std::memcpy(&sg, sgb, sizeof(v16));
    }
    const v16 o = u >= vth ? 1.f : 0.f;
    const v16 go = d + keep * (nx * (-tau * u));
    const v16 gt = go * sg + nx * (tau * (1.f - o));
    const v16 xt = xs[F.repeated ? 0 : t];
    s1 = s1 + gt;
    s2 = s2 + gt * ((xt - mv) * rsv);
    if (F.repeated) gs = t == T - 1 ? gt : gs + gt;
    else DS_STOREN(A.g + (t * n + q) * C + j, gt, L);
    nx = gt;
  }
  DS_STOREN(p1 + j, s1, L);
  DS_STOREN(p2 + j, s2, L);
  if (F.repeated) DS_STOREN(A.gsum + q * C + j, gs, L);
}

// Rows [q0, q1) of the backward's first sweep, element by element (16 channels at a time) with the
// T steps in registers: the potentials are recomputed from x, the LIF reverse pass gives g_t, and
// p1[c] += g_t, p2[c] += g_t*(x - m)*rs. g_t is stored (or, repeated, only its sum over T). The
// arithmetic is lifForward's and lifBackwardSurrogate's, operation for operation; the pool's
// gradient is avgPoolGradTiledRows's, (0 + dP)*(1/k^2). scratch: 2*T*16 + 16 floats, 64-byte aligned.
DS_CLONES void reverseRows(const ReverseArgs& args, long q0, long q1, float* __restrict p1, float* __restrict p2,
                           float* __restrict scratch) {
  const ReverseArgs A = args;  // a local copy: the stores below cannot alias it
  v16* us = reinterpret_cast<v16*>(scratch);  // the potentials u_t
  const long T = A.fw.T, n = A.fw.n, C = A.fw.C;
  v16* xs = us + T;                           // x_t (one when repeated)
  float* sgb = scratch + 2 * T * 16;          // a non-rect surrogate's 16 values
  const int k = A.pool ? A.pool->k : 1;
  const long HW = A.pool ? (long)A.pool->H * A.pool->W : 1, W = A.pool ? A.pool->W : 1;
  const long dStep = (A.pool ? n / ((long)k * k) : n) * C;
  const long full = C / 16 * 16;
  for (long q = q0; q < q1; q++) {
    // Where this neuron row's spike gradient is: the pooled row its window writes, or its own.
    long dq = q;
    if (A.pool) {
      const long img = q / HW, h = q % HW / W, w = q % W;
      dq = (img * (HW / W / k) + h / k) * (W / k) + w / k;
    }
    for (long j = 0; j < full; j += 16) reverseLanes<true>(A, q, dq, dStep, j, 16, us, xs, sgb, p1, p2);
    if (full < C) reverseLanes<false>(A, q, dq, dStep, full, C - full, us, xs, sgb, p1, p2);
  }
}
}  // namespace

void tdbnLifForward(long T, long n, long C, const float* x, const float* r, const float* lambda, const float* beta,
                    double gain, float eps, float vth, float tau, float* s, float* mean, float* invStd,
                    const ReplicaSum& sync, const SpikePool* pool, bool repeated) {
  if (repeated) r = nullptr;
  // A repeated x's statistics are those of its one step (every step has the same values).
  const long rowsX = repeated ? n : T * n;
  if (sync) detail::tdbnStatsGlobal(rowsX, C, x, eps, mean, invStd, nullptr, sync);
  else detail::tdbnStats(rowsX, C, x, eps, mean, invStd, nullptr);
  const Affine af(C, lambda, beta, gain, mean, invStd);
  const long R = blockRows(C);
  const ForwardArgs args{T, n, C, x, r, af.k.data(), af.m.data(), af.b.data(), vth, tau, repeated};
  // With a pool the threads take whole groups of k image rows (each pooled row comes from one).
  const long G = pool ? (long)pool->k * pool->W : 1;
  parallelFor(n / G, std::max(1L, std::max(R, 64L) / G), [&](long b0, long e0) {
    const long b = b0 * G, e = e0 * G;
    if (pool) {
      // Each group of k image rows is pooled as it is computed (forwardPoolRows).
      std::vector<float> acc((size_t)(T * (pool->W / pool->k) * C));
      forwardPoolRows(args, *pool, b, e, s, acc.data());
      return;
    }
    // The block's T steps of spikes stay in cache; the output receives a streamed copy.
    AlignedVector<float> sp((size_t)(T * R * C));
    for (long q0 = b; q0 < e; q0 += R) {
      const long rows = std::min(R, e - q0), len = rows * C;
      forwardRows(args, q0, q0 + rows, sp.data());
      for (long t = 0; t < T; t++) streamCopy(s + (t * n + q0) * C, sp.data() + t * len, len);
    }
  });
}

void tdbnLifBackward(long T, long n, long C, const float* dS, const float* x, const float* r, const float* mean,
                     const float* invStd, const float* lambda, const float* beta, double gain, float vth,
                     float tau, int family, double p, bool detach, float* dx, float* g, float* dLambda, float* dBeta,
                     const ReplicaSum& sync, const SpikePool* pool, bool repeated) {
  if (repeated) r = nullptr;
  const long M = T * n;
  const Affine af(C, lambda, beta, gain, mean, invStd);
  const float keep = detach ? 0.f : 1.f;
  // Sweep 1, row by row in registers (reverseRows). g is stored (with a residual it is dr) and sweep 2
  // reads it back: recomputing it there instead measured 35 % slower on [4, 32768, 64] (the
  // recomputation costs more than the memory it saves). A repeated x's gradient is the sum over T of
  // the steps' dx: kk*(sum_t g_t - T*mb - xhat*T*mx), so sweep 1 stores only the sum of the g_t (in dx).
  const ReverseArgs args{{T, n, C, x, r, af.k.data(), af.m.data(), af.b.data(), vth, tau, repeated}, dS, invStd, keep, rectWindow(p),
                         (float)p, family, p, pool, pool ? 1.f / (float)(pool->k * pool->k) : 1.f, g, dx};
  const long R = blockRows(C);
  std::vector<double> sums;
  detail::channelSums(n, C, 2, [&](long b, long e, double* acc) {
    AlignedVector<float> scratch((size_t)(2 * T * 16 + 16));
    std::vector<float> p1((size_t)C), p2((size_t)C);
    // Float32 partial sums per block of R rows, float64 across blocks.
    for (long q0 = b; q0 < e; q0 += R) {
      std::fill(p1.begin(), p1.end(), 0.f);
      std::fill(p2.begin(), p2.end(), 0.f);
      reverseRows(args, q0, std::min(e, q0 + R), p1.data(), p2.data(), scratch.data());
      for (long c = 0; c < C; c++) {
        acc[c] += p1[c];
        acc[C + c] += p2[c];
      }
    }
  }, sums);
  // dx needs the global sums; dLambda, dBeta are then the global batch's too (SyncBatchNorm: rank 0
  // returns them, the others zeros, so the gradient all-reduce gives one process's float64 sums).
  const double Mg = detail::globalGradSums(M, C, sums, sync);
  for (long c = 0; c < C; c++) {
    dBeta[c] = (float)sums[c];
    dLambda[c] = (float)(gain * sums[C + c]);
  }
  // The T steps of a repeated x each subtract the means: T times them from the sum of the g_t.
  const double steps = repeated ? (double)T : 1.0;
  std::vector<float> kk(C), mb(C), mx(C);
  for (long c = 0; c < C; c++) {
    double sdy = sums[c], sdyx = sums[C + c];
    kk[c] = af.k[c];
    mb[c] = (float)(steps * sdy / Mg);
    mx[c] = (float)(steps * sdyx / Mg);
  }
  // Sweep 2: dx from g (a repeated x: from the sum of the g_t, in dx) and x, computed block by
  // block in cache, then streamed out past the caches into dx's fresh lines; a repeated x's dx
  // overwrites the g sums just read, whose lines are in cache, so a plain copy is cheaper there
  // (measured: the first layer's backward and the filter gradient reading its dx, 5-15 % less).
  const float* gIn = repeated ? dx : g;
  parallelFor(repeated ? n : M, std::max(R, 1024L), [&](long b, long e) {
    AlignedVector<float> out((size_t)(R * C));
    for (long q0 = b; q0 < e; q0 += R) {
      const long rows = std::min(R, e - q0);
      dxRows(0, rows, C, gIn + q0 * C, x + q0 * C, kk.data(), mb.data(), mx.data(), af.m.data(), invStd, out.data());
      if (repeated) std::memcpy(dx + q0 * C, out.data(), sizeof(float) * (size_t)(rows * C));
      else streamCopy(dx + q0 * C, out.data(), rows * C);
    }
  });
}

}  // namespace deepspike
