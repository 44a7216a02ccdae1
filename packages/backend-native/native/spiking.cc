// Fused spiking kernels: STBP LIF forward/backward over all T in one pass, the surrogate
// derivative, and tdBN (statistics + normalisation, and its gradient) per channel.
#include <algorithm>
#include <cmath>
#include <vector>

#include "ops.h"
#include "pool.h"
#include "simd_clones.h"
#include "spiking_internal.h"

namespace deepspike {

namespace {
// One time step over neurons [0, m): branch-free so it vectorises (spikes are ~random, a branch
// per neuron mispredicts half the time).
DS_CLONES void lifStep(long m, const float* __restrict x, const float* __restrict up, const float* __restrict sp,
             float vth, float tau, float* __restrict uc, float* __restrict sc) {
  for (long i = 0; i < m; i++) {
    float v = (tau * up[i]) * (1.f - sp[i]) + x[i];
    uc[i] = v;
    sc[i] = (float)(v >= vth);
  }
}

DS_CLONES void lifFirst(long m, const float* __restrict x, float vth, float* __restrict uc, float* __restrict sc) {
  for (long i = 0; i < m; i++) {
    float v = x[i];
    uc[i] = v;
    sc[i] = (float)(v >= vth);
  }
}

// Zeros standing in for an absent gradient (blocks are at most 4096 neurons), so the loop below
// has no per-element branches and vectorises.
alignas(64) const float kZeros[4096] = {};

DS_CLONES void lifBackStepDense(long m, const float* __restrict dS, const float* __restrict dU, const float* __restrict u,
                                const float* __restrict s, const float* __restrict sg, const float* __restrict nx,
                                float tau, float keep, float* __restrict dx) {
  // keep = 1 when the reset is not detached, 0 when it is.
  for (long i = 0; i < m; i++) {
    float go = dS[i] + keep * (nx[i] * (-tau * u[i]));
    dx[i] = dU[i] + go * sg[i] + nx[i] * (tau * (1.f - s[i]));
  }
}

// m <= 4096; dS, dU and next may be null (zero).
void lifBackStep(long m, const float* dS, const float* dU, const float* u, const float* s, const float* sg,
                 const float* next, float tau, float keep, float* dx) {
  lifBackStepDense(m, dS ? dS : kZeros, dU ? dU : kZeros, u, s, sg, next ? next : kZeros, tau, keep, dx);
}
}  // namespace

// u[t] = (tau*u[t-1])*(1-o[t-1]) + x[t], o[t] = H(u[t]-vth) with H(0) = 1; u[-1] = o[-1] = 0.
void lifForward(long T, long n, const float* x, float vth, float tau, float* s, float* u) {
  parallelFor(n, 16384, [&](long b, long e) {
    // Blocks of neurons stay in cache across the T steps.
    for (long b0 = b; b0 < e; b0 += 4096) {
      long m = std::min(e - b0, 4096L);
      lifFirst(m, x + b0, vth, u + b0, s + b0);
      for (long t = 1; t < T; t++)
        lifStep(m, x + t * n + b0, u + (t - 1) * n + b0, s + (t - 1) * n + b0, vth, tau, u + t * n + b0, s + t * n + b0);
    }
  });
}

// Reverse pass: go[t] = dS[t] + (detach ? 0 : gu[t+1]*(-tau*u[t])),
// gu[t] = dU[t] + go[t]*sg[t] + gu[t+1]*tau*(1-s[t]); dx = gu. dS or dU may be null (zero).
void lifBackward(long T, long n, const float* dS, const float* dU, const float* u, const float* s, const float* sg,
                 float tau, bool detach, float* dx) {
  parallelFor(n, 16384, [&](long b, long e) {
    for (long b0 = b; b0 < e; b0 += 4096) {
      long m = std::min(e - b0, 4096L);
      for (long t = T - 1; t >= 0; t--) {
        long o = t * n + b0;
        lifBackStep(m, dS ? dS + o : nullptr, dU ? dU + o : nullptr, u + o, s + o, sg + o,
                    t + 1 < T ? dx + o + n : nullptr, tau, detach ? 0.f : 1.f, dx + o);
      }
    }
  });
}

namespace detail {
// out[i] = g'((float)(x[i] - shift)) for i in [b, e): the shift (vth) is applied in float32, like the
// composite op's tf.sub, then the derivative in double like @deepspike/surrogate, rounded once.
DS_CLONES void surrogateRange(long b, long e, const float* x, float shift, int family, double p, float* out) {
  switch (family) {
    case 0: {  // rect: alpha * 1(|x| < 0.5/alpha) (the paper's window a = 1/alpha)
      const double h = 0.5 / p;
      const float v = (float)p;
      for (long i = b; i < e; i++) out[i] = std::fabs((double)(x[i] - shift)) < h ? v : 0.f;
      break;
    }
    case 1:  // sigmoid: alpha * s * (1 - s), s = 1/(1+exp(-alpha x))
      for (long i = b; i < e; i++) {
        double sv = 1.0 / (1.0 + std::exp(-p * (x[i] - shift)));
        out[i] = (float)(p * sv * (1.0 - sv));
      }
      break;
    case 2: {  // atan: (alpha/2) / (1 + (pi/2 * alpha * x)^2)
      const double k = 1.57079632679489661923 * p;
      for (long i = b; i < e; i++) {
        double z = k * (x[i] - shift);
        out[i] = (float)(p / 2.0 / (1.0 + z * z));
      }
      break;
    }
    default:  // piecewise quadratic: max(0, alpha - alpha^2 |x|)
      for (long i = b; i < e; i++) {
        double v = p - p * p * std::fabs((double)(x[i] - shift));
        out[i] = v > 0.0 ? (float)v : 0.f;
      }
  }
}
}  // namespace detail

void surrogateGrad(long n, const float* x, int family, double p, float* out) {
  parallelFor(n, 65536, [&](long b, long e) { detail::surrogateRange(b, e, x, 0.f, family, p, out); });
}

// lifBackward with sg = g'(u - vth) computed per block on the fly (no sg tensor, no u - vth tensor).
namespace {
// The rectangular family in one loop: sg = alpha * 1(|u - vth| < 0.5/alpha), and the spike read
// back as H(u - vth) == (u >= vth) (the DeepSpikeLIF contract) instead of from the spikes tensor:
// one read stream fewer per element.
DS_CLONES void lifBackStepRect(long m, const float* __restrict dS, const float* __restrict dU,
                               const float* __restrict u, const float* __restrict nx, float vth, double h, float a,
                               float tau, float keep, float* __restrict dx) {
  for (long i = 0; i < m; i++) {
    const float d = u[i] - vth;
    const float sg = std::fabs((double)d) < h ? a : 0.f;
    const float o = u[i] >= vth ? 1.f : 0.f;
    float go = dS[i] + keep * (nx[i] * (-tau * u[i]));
    dx[i] = dU[i] + go * sg + nx[i] * (tau * (1.f - o));
  }
}
}  // namespace

void lifBackwardSurrogate(long T, long n, const float* dS, const float* dU, const float* u, const float* s,
                          float vth, int family, double p, float tau, bool detach, float* dx) {
  parallelFor(n, 16384, [&](long b, long e) {
    float sg[4096];
    for (long b0 = b; b0 < e; b0 += 4096) {
      long m = std::min(e - b0, 4096L);
      for (long t = T - 1; t >= 0; t--) {
        long o = t * n + b0;
        if (family == 0) {
          lifBackStepRect(m, dS ? dS + o : kZeros, dU ? dU + o : kZeros, u + o, t + 1 < T ? dx + o + n : kZeros, vth,
                          0.5 / p, (float)p, tau, detach ? 0.f : 1.f, dx + o);
          continue;
        }
        detail::surrogateRange(0, m, u + o, vth, family, p, sg);
        lifBackStep(m, dS ? dS + o : nullptr, dU ? dU + o : nullptr, u + o, s + o, sg,
                    t + 1 < T ? dx + o + n : nullptr, tau, detach ? 0.f : 1.f, dx + o);
      }
    }
  });
}

namespace detail {
// Rows [b, e) of x [M, C]: s1[c] += x - x0[c], s2[c] += (x - x0[c])^2 in float64.
DS_CLONES void shiftedSums(long b, long e, long C, const float* __restrict x, const float* __restrict x0,
                           double* __restrict s1, double* __restrict s2) {
  for (long r = b; r < e; r++) {
    const float* xr = x + r * C;
    for (long c = 0; c < C; c++) {
      double d = (double)xr[c] - (double)x0[c];
      s1[c] += d;
      s2[c] += d * d;
    }
  }
}

}  // namespace detail

namespace {
// Rows [b, e): y = (float)(k * (x - m) + bt) per channel, in float64.
DS_CLONES void affineRows(long b, long e, long C, const float* __restrict x, const double* __restrict k,
                          const double* __restrict m, const double* __restrict bt, float* __restrict y) {
  for (long r = b; r < e; r++) {
    const float* xr = x + r * C;
    float* yr = y + r * C;
    for (long c = 0; c < C; c++) yr[c] = (float)(k[c] * ((double)xr[c] - m[c]) + bt[c]);
  }
}

}  // namespace

namespace detail {
// Rows [b, e): s1[c] += dy, s2[c] += dy * (x - mean) * invStd in float64.
DS_CLONES void gradSums(long b, long e, long C, const float* __restrict dy, const float* __restrict x,
                        const float* __restrict mean, const float* __restrict invStd, double* __restrict s1,
                        double* __restrict s2) {
  for (long r = b; r < e; r++) {
    const float* d = dy + r * C;
    const float* xr = x + r * C;
    for (long c = 0; c < C; c++) {
      s1[c] += d[c];
      s2[c] += (double)d[c] * (((double)xr[c] - (double)mean[c]) * (double)invStd[c]);
    }
  }
}

// Rows [b, e): dx = (float)(kk * (dy - mb - ((x - mu) * r) * mx)) in float64.
DS_CLONES void gradRows(long b, long e, long C, const float* __restrict dy, const float* __restrict x,
                        const double* __restrict kk, const double* __restrict mb, const double* __restrict mx,
                        const double* __restrict mu, const double* __restrict r, float* __restrict dx) {
  for (long q = b; q < e; q++) {
    const float* d = dy + q * C;
    const float* xr = x + q * C;
    float* o = dx + q * C;
    for (long c = 0; c < C; c++) {
      double xh = ((double)xr[c] - mu[c]) * r[c];
      o[c] = (float)(kk[c] * ((double)d[c] - mb[c] - xh * mx[c]));
    }
  }
}

// Statistics from sums of the shifted values d = x - x[0, c] (no cancellation for large means).
void tdbnStats(long M, long C, const float* x, float eps, float* mean, float* invStd, double* meanD) {
  std::vector<double> sums;
  channelSums(M, C, 2, [&](long b, long e, double* acc) { shiftedSums(b, e, C, x, x, acc, acc + C); }, sums);
  for (long c = 0; c < C; c++) {
    double md = sums[c] / M;
    double var = std::max(0.0, sums[C + c] / M - md * md);
    double m = (double)x[c] + md;
    if (meanD) meanD[c] = m;
    mean[c] = (float)m;
    invStd[c] = (float)(1.0 / std::sqrt(var + (double)eps));
  }
}

double tdbnStatsGlobal(long M, long C, const float* x, float eps, float* mean, float* invStd, double* meanD,
                       const ReplicaSum& sync) {
  std::vector<double> s1, s2;
  channelSums(M, C, 1, [&](long b, long e, double* acc) {
    for (long q = b; q < e; q++)
      for (long c = 0; c < C; c++) acc[c] += (double)x[q * C + c];
  }, s1);
  s1.push_back((double)M);
  sync(s1.data(), C + 1);
  const double Mg = s1[(size_t)C];
  std::vector<double> mu((size_t)C);
  for (long c = 0; c < C; c++) mu[c] = s1[c] / Mg;
  channelSums(M, C, 1, [&](long b, long e, double* acc) {
    for (long q = b; q < e; q++)
      for (long c = 0; c < C; c++) {
        double d = (double)x[q * C + c] - mu[c];
        acc[c] += d * d;
      }
  }, s2);
  sync(s2.data(), C);
  for (long c = 0; c < C; c++) {
    double var = std::max(0.0, s2[c] / Mg);
    if (meanD) meanD[c] = mu[c];
    mean[c] = (float)mu[c];
    invStd[c] = (float)(1.0 / std::sqrt(var + (double)eps));
  }
  return Mg;
}

double globalGradSums(long M, long C, std::vector<double>& sums, const ReplicaSum& sync) {
  if (!sync) return (double)M;
  sums.resize((size_t)(2 * C));
  sums.push_back((double)M);
  sync(sums.data(), 2 * C + 1);
  const double Mg = sums[(size_t)(2 * C)];
  sums.pop_back();
  return Mg;
}
}  // namespace detail

// y in float64 rounded once: the numerics of @deepspike/tdbn's cpu kernel.
void tdbnForward(long M, long C, const float* x, const float* lambda, const float* beta, float alpha, float vth,
                 float eps, float* y, float* mean, float* invStd, const ReplicaSum& sync) {
  std::vector<double> k(C), m(C), bt(C);
  if (sync) detail::tdbnStatsGlobal(M, C, x, eps, mean, invStd, m.data(), sync);
  else detail::tdbnStats(M, C, x, eps, mean, invStd, m.data());
  for (long c = 0; c < C; c++) {
    k[c] = (double)lambda[c] * (double)alpha * (double)vth * (double)invStd[c];
    bt[c] = beta[c];
  }
  parallelFor(M, 1024, [&](long b, long e) { affineRows(b, e, C, x, k.data(), m.data(), bt.data(), y); });
}

void tdbnBackward(long M, long C, const float* dy, const float* x, const float* mean, const float* invStd,
                  const float* lambda, float alpha, float vth, float* dx, float* dLambda, float* dBeta,
                  const ReplicaSum& sync) {
  std::vector<double> sums;
  detail::channelSums(M, C, 2, [&](long b, long e, double* acc) { detail::gradSums(b, e, C, dy, x, mean, invStd, acc, acc + C); }, sums);
  // dx needs the global sums; dLambda, dBeta are then the global batch's too (as in tdbnLifBackward).
  const double Mg = detail::globalGradSums(M, C, sums, sync);
  for (long c = 0; c < C; c++) {
    dBeta[c] = (float)sums[c];
    dLambda[c] = (float)((double)alpha * (double)vth * sums[C + c]);
  }
  std::vector<double> kk(C), mb(C), mx(C), mu(C), r(C);
  for (long c = 0; c < C; c++) {
    double sdy = sums[c], sdyx = sums[C + c];
    kk[c] = (double)lambda[c] * (double)alpha * (double)vth * (double)invStd[c];
    mb[c] = sdy / Mg;
    mx[c] = sdyx / Mg;
    mu[c] = mean[c];
    r[c] = invStd[c];
  }
  parallelFor(M, 1024, [&](long b, long e) {
    detail::gradRows(b, e, C, dy, x, kk.data(), mb.data(), mx.data(), mu.data(), r.data(), dx);
  });
}

}  // namespace deepspike
