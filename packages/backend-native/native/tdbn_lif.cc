// tdBN fused into the STBP LIF neuron it feeds (training mode), optionally with a residual added
// between them: spikes = LIF(tdBN(x) [+ r]). The normalised current and the membrane potential are
// never stored: the forward pass reads x (statistics), then x [and r] once more while it steps the
// neuron through T and writes the spikes; the backward pass recomputes the potentials from x
// block by block, in cache, runs the LIF reverse pass, and accumulates tdBN's gradient sums in the
// same sweep, then a second sweep writes dx. Separate kernels made ~14 passes over each
// activation (tdBN 3 + LIF 3 forward, LIF 3 + tdBN 5 backward); this makes 5-7.
//
// Numerics: both passes normalise with the float32 mean and invStd the kernel outputs,
// v = (float)(k*((double)x - (double)mean) + bt) [+ r], k = lambda*gain*invStd, so the
// backward's recomputed potentials equal the forward's bit for bit. The LIF arithmetic is that of
// lifForward / lifBackwardSurrogate (spiking.cc); the gradient sums are tdbnBackward's.
#include <algorithm>
#include <cstring>
#include <vector>

#include "ops.h"
#include "pool.h"
#include "simd_clones.h"
#include "spiking_internal.h"

namespace deepspike {

namespace {

// Elements per block: whole rows of C channels, about 4096 floats, so a block's T potentials stay in
// L2 (T*16 KB) while it is stepped forward and back.
long blockRows(long C) { return std::max(1L, 4096 / C); }

// v = (float)(k*(x - m) + bt) [+ r] over `rows` rows of C channels.
DS_CLONES void normaliseRows(long rows, long C, const float* __restrict x, const float* __restrict r,
                             const double* __restrict k, const double* __restrict m, const double* __restrict bt,
                             float* __restrict v) {
  for (long q = 0; q < rows; q++) {
    const float* xr = x + q * C;
    float* vr = v + q * C;
    for (long c = 0; c < C; c++) vr[c] = (float)(k[c] * ((double)xr[c] - m[c]) + bt[c]);
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

// One reverse step with dU = 0: go = dS + keep*(nx*(-tau*u)), g = go*sg + nx*(tau*(1 - o)), o = H(u - vth).
DS_CLONES void reverseStep(long len, const float* __restrict dS, const float* __restrict u, const float* __restrict sg,
                           const float* __restrict nx, float vth, float tau, float keep, float* __restrict g) {
  for (long i = 0; i < len; i++) {
    const float o = u[i] >= vth ? 1.f : 0.f;
    float go = dS[i] + keep * (nx[i] * (-tau * u[i]));
    g[i] = go * sg[i] + nx[i] * (tau * (1.f - o));
  }
}

// What the backward sweeps share.
struct Backward {
  long T, n, C;
  const float *dS, *x, *r, *mean, *invStd;
  const double *k, *m, *bt;
  float vth, tau, keep;
  int family;
  double p;
};

// Per-thread scratch of one block: the T potentials and LIF inputs, the surrogate, two gradients.
struct Scratch {
  std::vector<float> u, s, v, sg, g, nx;
  Scratch(long T, long len) : u((size_t)(T * len)), s((size_t)len), v((size_t)len), sg((size_t)len), g((size_t)len), nx((size_t)len) {}
};

// Rows [q0, q0 + rows) of every step: recomputes the potentials over T, then runs the reverse pass,
// calling visit(t, offset, g) with the gradient of the LIF input at step t.
template <class V>
void reverseBlock(const Backward& b, long q0, long rows, Scratch& sc, const V& visit) {
  const long len = rows * b.C;
  float* u = sc.u.data();
  std::fill(u, u + len, 0.f);
  std::fill(sc.s.begin(), sc.s.begin() + len, 0.f);
  for (long t = 0; t < b.T; t++) {
    long off = (t * b.n + q0) * b.C;
    normaliseRows(rows, b.C, b.x + off, b.r ? b.r + off : nullptr, b.k, b.m, b.bt, sc.v.data());
    float* ut = u + t * len;
    if (t > 0) std::memcpy(ut, ut - len, sizeof(float) * len);
    lifStepInPlace(len, sc.v.data(), b.vth, b.tau, ut, sc.s.data());
  }
  std::fill(sc.nx.begin(), sc.nx.begin() + len, 0.f);
  for (long t = b.T - 1; t >= 0; t--) {
    long off = (t * b.n + q0) * b.C;
    const float* ut = u + t * len;
    detail::surrogateRange(0, len, ut, b.vth, b.family, b.p, sc.sg.data());
    reverseStep(len, b.dS + off, ut, sc.sg.data(), sc.nx.data(), b.vth, b.tau, b.keep, sc.g.data());
    visit(t, off, sc.g.data());
    std::swap(sc.g, sc.nx);
  }
}
}  // namespace

void tdbnLifForward(long T, long n, long C, const float* x, const float* r, const float* lambda, const float* beta,
                    double gain, float eps, float vth, float tau, float* s, float* mean, float* invStd) {
  std::vector<double> k, m, bt;
  detail::tdbnStats(T * n, C, x, lambda, beta, 1.f, 1.f, eps, mean, invStd, k, m, bt);
  // The backward's affine exactly (float32 mean and invStd, the gain in float64).
  for (long c = 0; c < C; c++) {
    k[c] = (double)lambda[c] * gain * (double)invStd[c];
    m[c] = (double)mean[c];
  }
  const long R = blockRows(C);
  parallelFor(n, std::max(R, 64L), [&](long b, long e) {
    std::vector<float> u((size_t)(R * C)), v((size_t)(R * C));
    for (long q0 = b; q0 < e; q0 += R) {
      long rows = std::min(R, e - q0), len = rows * C;
      std::fill(u.begin(), u.begin() + len, 0.f);
      float* sPrev = nullptr;
      for (long t = 0; t < T; t++) {
        long off = (t * n + q0) * C;
        normaliseRows(rows, C, x + off, r ? r + off : nullptr, k.data(), m.data(), bt.data(), v.data());
        // The spikes of step t-1 are the output's, still in cache; step t writes its own in place.
        float* st = s + off;
        if (sPrev) std::memcpy(st, sPrev, sizeof(float) * len);
        else std::fill(st, st + len, 0.f);
        lifStepInPlace(len, v.data(), vth, tau, u.data(), st);
        sPrev = st;
      }
    }
  });
}

void tdbnLifBackward(long T, long n, long C, const float* dS, const float* x, const float* r, const float* mean,
                     const float* invStd, const float* lambda, const float* beta, double gain, float vth,
                     float tau, int family, double p, bool detach, float* dx, float* dr, float* dLambda, float* dBeta) {
  const long M = T * n;
  std::vector<double> k(C), m(C), bt(C);
  for (long c = 0; c < C; c++) {
    k[c] = (double)lambda[c] * gain * (double)invStd[c];
    m[c] = mean[c];
    bt[c] = beta[c];
  }
  const Backward b{T, n, C, dS, x, r, mean, invStd, k.data(), m.data(), bt.data(), vth, tau, detach ? 0.f : 1.f, family, p};
  const long R = blockRows(C);
  // Sweep 1: the reverse pass and the gradient sums (and dr = the LIF input's gradient, when r is given).
  std::vector<double> sums;
  detail::channelSums(n, C, 2, [&](long q, long e, double* acc) {
    Scratch sc(T, R * C);
    for (long q0 = q; q0 < e; q0 += R) {
      long rows = std::min(R, e - q0);
      reverseBlock(b, q0, rows, sc, [&](long, long off, const float* g) {
        detail::gradSums(0, rows, C, g, x + off, mean, invStd, acc, acc + C);
        if (dr) std::memcpy(dr + off, g, sizeof(float) * rows * C);
      });
    }
  }, sums);
  std::vector<double> kk(C), mb(C), mx(C), mu(C), rs(C);
  for (long c = 0; c < C; c++) {
    double sdy = sums[c], sdyx = sums[C + c];
    dBeta[c] = (float)sdy;
    dLambda[c] = (float)((double)gain * sdyx);
    kk[c] = k[c];
    mb[c] = sdy / M;
    mx[c] = sdyx / M;
    mu[c] = mean[c];
    rs[c] = invStd[c];
  }
  // Sweep 2: dx from the LIF input's gradient (read back from dr, else recomputed).
  parallelFor(n, std::max(R, 64L), [&](long q, long e) {
    if (dr) {
      for (long t = 0; t < T; t++) {
        long off = (t * n + q) * C;
        detail::gradRows(0, e - q, C, dr + off, x + off, kk.data(), mb.data(), mx.data(), mu.data(), rs.data(), dx + off);
      }
      return;
    }
    Scratch sc(T, R * C);
    for (long q0 = q; q0 < e; q0 += R) {
      long rows = std::min(R, e - q0);
      reverseBlock(b, q0, rows, sc, [&](long, long off, const float* g) {
        detail::gradRows(0, rows, C, g, x + off, kk.data(), mb.data(), mx.data(), mu.data(), rs.data(), dx + off);
      });
    }
  });
}

}  // namespace deepspike
