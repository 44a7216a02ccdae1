// tdBN fused into the STBP LIF neuron it feeds (training mode), optionally with a residual added
// between them: spikes = LIF(tdBN(x) [+ r]). The normalised current and the membrane potential are
// never stored: the forward pass reads x (statistics), then x [and r] once more while it steps the
// neuron through T and writes the spikes; the backward recomputes the potentials from x block by
// block, in cache, runs the LIF reverse pass and accumulates tdBN's gradient sums in the same
// sweep, storing the neuron input's gradient g (which is dr when there is a residual), then a
// second sweep writes dx from g and x. The spikes and dx are computed per block in cache and
// streamed out (stream_store.h: no read-for-ownership of their lines); g is stored normally, as
// sweep 2 reads it back and part of it is still in the L3 then (streaming g measured slower).
// Measured on the training step, side by side: mnist ~53 against ~55-59 ms, cifar-resnet ~435-453
// against ~442-473 ms.
//
// A repeated x (a direct encoding's first conv computed once: x [n, C] stands for T equal steps)
// is read once per block and normalised once; the backward keeps the T steps' g in cache and writes
// only their sum, from which sweep 2 gives dx [n, C] (the repeated tensor's gradient summed over T).
//
// Numerics: the per-element work is float32 (the unfused kernels' float64 made this compute-bound):
// v = kf*(x - mean) + bt [+ r] with kf = (float)(lambda*gain*invStd) and the float32 mean/invStd the
// kernel outputs, identical in the forward and the backward's recomputation, so the recomputed
// potentials equal the forward's bit for bit. Gradient sums are float32 per block of rows and float64
// across blocks. The LIF arithmetic is that of lifForward / lifBackwardSurrogate (spiking.cc).
#include <algorithm>
#include <cmath>
#include <vector>

#include "aligned.h"
#include "ops.h"
#include "pool.h"
#include "pool2d_rows.h"
#include "simd_clones.h"
#include "spiking_internal.h"
#include "stream_store.h"

namespace deepspike {

namespace {

// Elements per block: whole rows of C channels, about 4096 floats, so a block's T potentials stay in
// L2 (T*16 KB) while it is stepped forward and back.
long blockRows(long C) { return std::max(1L, 4096 / C); }

// The per-channel float32 affine of the normalisation: v = k*(x - m) + b.
struct Affine {
  std::vector<float> k, m, b;
  Affine(long C, const float* lambda, const float* beta, double gain, const float* mean, const float* invStd)
      : k((size_t)C), m(mean, mean + C), b(beta, beta + C) {
    for (long c = 0; c < C; c++) k[c] = (float)((double)lambda[c] * gain * (double)invStd[c]);
  }
};

// v = k*(x - m) + b [+ r] over `rows` rows of C channels.
DS_CLONES void normaliseRows(long rows, long C, const float* __restrict x, const float* __restrict r,
                             const float* __restrict k, const float* __restrict m, const float* __restrict b,
                             float* __restrict v) {
  for (long q = 0; q < rows; q++) {
    const float* xr = x + q * C;
    float* vr = v + q * C;
    for (long c = 0; c < C; c++) vr[c] = k[c] * (xr[c] - m[c]) + b[c];
  }
  if (r)
    for (long i = 0; i < rows * C; i++) v[i] = v[i] + r[i];
}

// One LIF step in place: u = (tau*u)*(1 - s) + v, s = H(u - vth) (u = s = 0 before the first step).
DS_CLONES void lifStepInPlace(long len, const float* __restrict v, float vth, float tau, float* __restrict u,
                              float* __restrict s) {
  for (long i = 0; i < len; i++) {
    float w = (tau * u[i]) * (1.f - s[i]) + v[i];
    u[i] = w;
    s[i] = (float)(w >= vth);
  }
}

// lifStepInPlace from the previous potential up (u = (tau*up)*(1 - s) + v), writing u: no copy of up.
DS_CLONES void lifStepFrom(long len, const float* __restrict v, const float* __restrict up, float vth, float tau,
                           float* __restrict u, float* __restrict s) {
  for (long i = 0; i < len; i++) {
    float w = (tau * up[i]) * (1.f - s[i]) + v[i];
    u[i] = w;
    s[i] = (float)(w >= vth);
  }
}

// The float32 hf with |d| < hf exactly when |d| < 0.5/alpha for every float32 d (the float64 window
// of lifBackStepRect): 0.5/alpha when it is a float32, else the next float32 above it.
float rectWindow(double alpha) {
  const double h = 0.5 / alpha;
  float hf = (float)h;
  if ((double)hf < h) hf = std::nextafter(hf, INFINITY);
  return hf;
}

// One reverse step with dU = 0: go = dS + keep*(nx*(-tau*u)), g = go*sg + nx*(tau*(1 - o)), o = H(u - vth).
DS_CLONES void reverseStep(long len, const float* __restrict dS, const float* __restrict u, const float* __restrict sg,
                           const float* __restrict nx, float vth, float tau, float keep, float* __restrict g) {
  for (long i = 0; i < len; i++) {
    const float o = u[i] >= vth ? 1.f : 0.f;
    float go = dS[i] + keep * (nx[i] * (-tau * u[i]));
    g[i] = go * sg[i] + nx[i] * (tau * (1.f - o));
  }
}

// reverseStep for the rectangular surrogate, sg = a*1(|u - vth| < hf) inline (hf from rectWindow).
DS_CLONES void reverseStepRect(long len, const float* __restrict dS, const float* __restrict u, const float* __restrict nx,
                               float vth, float hf, float a, float tau, float keep, float* __restrict g) {
  for (long i = 0; i < len; i++) {
    const float d = u[i] - vth;
    const float sg = std::fabs(d) < hf ? a : 0.f;
    const float o = u[i] >= vth ? 1.f : 0.f;
    float go = dS[i] + keep * (nx[i] * (-tau * u[i]));
    g[i] = go * sg + nx[i] * (tau * (1.f - o));
  }
}

// p1[c] += g, p2[c] += g*(x - m)*rs over `rows` rows (float32 partials of one block).
DS_CLONES void blockGradSums(long rows, long C, const float* __restrict g, const float* __restrict x,
                             const float* __restrict m, const float* __restrict rs, float* __restrict p1,
                             float* __restrict p2) {
  for (long q = 0; q < rows; q++) {
    const float* gr = g + q * C;
    const float* xr = x + q * C;
    for (long c = 0; c < C; c++) {
      p1[c] += gr[c];
      p2[c] += gr[c] * ((xr[c] - m[c]) * rs[c]);
    }
  }
}

// acc += a over len elements.
DS_CLONES void addInto(long len, const float* __restrict a, float* __restrict acc) {
  for (long i = 0; i < len; i++) acc[i] += a[i];
}

// dx = kk*((g - mb) - ((x - m)*rs)*mx) over rows [b, e) of C channels.
DS_CLONES void dxRows(long b, long e, long C, const float* __restrict g, const float* __restrict x,
                      const float* __restrict kk, const float* __restrict mb, const float* __restrict mx,
                      const float* __restrict m, const float* __restrict rs, float* __restrict dx) {
  for (long q = b; q < e; q++) {
    const float* gr = g + q * C;
    const float* xr = x + q * C;
    float* o = dx + q * C;
    for (long c = 0; c < C; c++) o[c] = kk[c] * ((gr[c] - mb[c]) - ((xr[c] - m[c]) * rs[c]) * mx[c]);
  }
}
// The blocks of a kernel call: R rows of C channels each. With a fused pool, blocks and thread ranges
// hold whole groups of k image rows (G = k*W neurons), so each pooled output comes from one block;
// a block's groups are then pooled as images of k rows (pool2d_rows.h).
struct Blocks {
  const SpikePool* pool;
  long n, C, G, R;
  Blocks(long n_, long C_, const SpikePool* pl)
      : pool(pl), n(n_), C(C_), G(pl ? (long)pl->k * pl->W : 1), R(std::max(G, blockRows(C_) / G * G)) {}
  // A thread's range bound rounded to a group boundary (the ranges stay disjoint and cover [0, n)).
  long round(long q) const { return std::min(n, (q + G - 1) / G * G); }
  // The pool of a block of `rows` rows (whole groups).
  PoolGeom poolOf(long rows) const {
    const int k = pool->k;
    return {(int)(rows / G), k, pool->W, (int)C, 1, pool->W / k, k, k, k, k, 0, 0};
  }
  // Where the pooled output of step t's block starting at row q0 begins.
  long pooledAt(long t, long q0) const { return (t * n + q0) / ((long)pool->k * pool->k) * C; }
};
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
  const Blocks bl(n, C, pool);
  const long R = bl.R;
  parallelFor(n, std::max(R, 64L), [&](long b0, long e0) {
    const long b = bl.round(b0), e = bl.round(e0);
    AlignedVector<float> u((size_t)(R * C)), v((size_t)(R * C)), sp((size_t)(R * C));
    for (long q0 = b; q0 < e; q0 += R) {
      long rows = std::min(R, e - q0), len = rows * C;
      std::fill(u.begin(), u.begin() + len, 0.f);
      std::fill(sp.begin(), sp.begin() + len, 0.f);
      for (long t = 0; t < T; t++) {
        long off = (t * n + q0) * C;
        // A repeated input's normalised current is the same at every step: computed once.
        if (!repeated || t == 0)
          normaliseRows(rows, C, x + (repeated ? q0 * C : off), r ? r + off : nullptr, af.k.data(), af.m.data(), af.b.data(), v.data());
        // The block's spikes stay in cache from step to step; the output only receives a streamed
        // copy, or with a pool the block's pooled values.
        lifStepInPlace(len, v.data(), vth, tau, u.data(), sp.data());
        if (pool) {
          const PoolGeom pg = bl.poolOf(rows);
          detail::avgPoolRows(pg, sp.data(), s + bl.pooledAt(t, q0), 0, pg.N);
        } else {
          streamCopy(s + off, sp.data(), len);
        }
      }
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
  const Blocks bl(n, C, pool);
  const long R = bl.R;
  const float keep = detach ? 0.f : 1.f;
  // Per-thread scratch of one block: the T potentials, the spikes, the neuron input, the surrogate;
  // with a repeated x also the T steps' g (kept in cache: only their sum over T leaves the block).
  struct Scratch {
    AlignedVector<float> u, sp, v, sg, zeros, ds, gs;
    Scratch(long T, long len, bool pooled, bool rep)
        : u((size_t)(T * len)), sp((size_t)len), v((size_t)len), sg((size_t)len), zeros((size_t)len, 0.f),
          ds(pooled ? (size_t)len : 0), gs(rep ? (size_t)(T * len) : 0) {}
  };
  const float h = rectWindow(p);
  // Rows [q0, q0 + rows) of every step: recompute the potentials over T, then the reverse pass into
  // g_t (at g0 + t*gStep), calling visit(t, off, g_t) after each step.
  auto reverseBlock = [&](long q0, long rows, Scratch& sc, float* g0, long gStep, const auto& visit) {
    const long len = rows * C;
    std::fill(sc.sp.begin(), sc.sp.begin() + len, 0.f);
    for (long t = 0; t < T; t++) {
      long off = (t * n + q0) * C;
      if (!repeated || t == 0)
        normaliseRows(rows, C, x + (repeated ? q0 * C : off), r ? r + off : nullptr, af.k.data(), af.m.data(), af.b.data(), sc.v.data());
      float* ut = sc.u.data() + t * len;
      lifStepFrom(len, sc.v.data(), t > 0 ? ut - len : sc.zeros.data(), vth, tau, ut, sc.sp.data());
    }
    for (long t = T - 1; t >= 0; t--) {
      const long off = (t * n + q0) * C;
      const float* ut = sc.u.data() + t * len;
      float* gt = g0 + t * gStep;
      const float* nx = t + 1 < T ? gt + gStep : sc.zeros.data();
      const float* dSt = dS + off;
      if (pool) {
        const PoolGeom pg = bl.poolOf(rows);
        detail::avgPoolGradTiledRows(pg, dS + bl.pooledAt(t, q0), sc.ds.data(), 0, (long)pg.N * pg.H);
        dSt = sc.ds.data();
      }
      if (family == 0) {
        reverseStepRect(len, dSt, ut, nx, vth, h, (float)p, tau, keep, gt);
      } else {
        detail::surrogateRange(0, len, ut, vth, family, p, sc.sg.data());
        reverseStep(len, dSt, ut, sc.sg.data(), nx, vth, tau, keep, gt);
      }
      visit(t, off, gt);
    }
  };
  // g is stored (with a residual it is dr) and sweep 2 reads it back: recomputing it there instead
  // measured 35 % slower on [4, 32768, 64] (the recomputation costs more than the memory it saves).
  // A repeated x's gradient is the sum over T of the steps' dx: kk*(sum_t g_t - T*mb - xhat*T*mx),
  // so sweep 1 keeps the g_t in cache and stores their sum (in dx) instead.
  std::vector<double> sums;
  detail::channelSums(n, C, 2, [&](long q0r, long e0, double* acc) {
    const long q = bl.round(q0r), e = bl.round(e0);
    Scratch sc(T, R * C, pool != nullptr, repeated);
    std::vector<float> p1((size_t)C), p2((size_t)C);
    for (long q0 = q; q0 < e; q0 += R) {
      const long rows = std::min(R, e - q0), len = rows * C;
      std::fill(p1.begin(), p1.end(), 0.f);
      std::fill(p2.begin(), p2.end(), 0.f);
      if (repeated) {
        float* gsum = dx + q0 * C;
        reverseBlock(q0, rows, sc, sc.gs.data(), len, [&](long t, long, const float* gt) {
          blockGradSums(rows, C, gt, x + q0 * C, af.m.data(), invStd, p1.data(), p2.data());
          if (t == T - 1) std::copy(gt, gt + len, gsum);
          else addInto(len, gt, gsum);
        });
      } else {
        reverseBlock(q0, rows, sc, g + q0 * C, n * C, [&](long, long off, const float* gt) {
          blockGradSums(rows, C, gt, x + off, af.m.data(), invStd, p1.data(), p2.data());
        });
      }
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
  // block in cache and streamed out.
  const float* gIn = repeated ? dx : g;
  parallelFor(repeated ? n : M, std::max(R, 1024L), [&](long b, long e) {
    AlignedVector<float> out((size_t)(R * C));
    for (long q0 = b; q0 < e; q0 += R) {
      const long rows = std::min(R, e - q0);
      dxRows(0, rows, C, gIn + q0 * C, x + q0 * C, kk.data(), mb.data(), mx.data(), af.m.data(), invStd, out.data());
      streamCopy(dx + q0 * C, out.data(), rows * C);
    }
  });
}

}  // namespace deepspike
