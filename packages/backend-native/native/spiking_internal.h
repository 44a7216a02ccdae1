// Pieces of the spiking kernels shared between spiking.cc (LIF, tdBN) and tdbn_lif.cc (tdBN fused
// into the LIF it feeds).
#pragma once
#include <algorithm>
#include <vector>

#include "ops.h"
#include "pool.h"

namespace deepspike::detail {

// Per-channel float64 sums over the rows of [M, C], per-thread partials added at the end:
// rangeFn(b, e, acc) adds rows [b, e) into acc[nsum * C].
template <class F>
void channelSums(long M, long C, int nsum, const F& rangeFn, std::vector<double>& out) {
  int P = std::max(1, std::min<int>(poolSize(), (int)(M / 256)));
  std::vector<std::vector<double>> part(P, std::vector<double>((size_t)nsum * C, 0.0));
  parallel(P, [&](int t) { rangeFn(M * t / P, M * (t + 1) / P, part[t].data()); });
  out.assign((size_t)nsum * C, 0.0);
  for (int t = 0; t < P; t++)
    for (size_t k = 0; k < out.size(); k++) out[k] += part[t][k];
}

// Rows [b, e) of x [M, C]: s1[c] += x - x0[c], s2[c] += (x - x0[c])^2 in float64.
void shiftedSums(long b, long e, long C, const float* x, const float* x0, double* s1, double* s2);

// tdBN's gradient sums over rows [b, e): s1[c] += dy, s2[c] += dy*(x - mean)*invStd in float64.
void gradSums(long b, long e, long C, const float* dy, const float* x, const float* mean, const float* invStd,
              double* s1, double* s2);
// tdBN's dx over rows [b, e): dx = (float)(kk*(dy - mb - ((x - mu)*r)*mx)) in float64.
void gradRows(long b, long e, long C, const float* dy, const float* x, const double* kk, const double* mb,
              const double* mx, const double* mu, const double* r, float* dx);

// out[i] = g'((float)(x[i] - shift)) for i in [b, e), family as in surrogateGrad.
void surrogateRange(long b, long e, const float* x, float shift, int family, double p, float* out);

// Training-mode tdBN statistics of x [M, C] from sums of the shifted values x - x[0, c] (no
// cancellation for large means): mean and invStd = 1/sqrt(biased var + eps) in float32, and the mean
// in float64 into meanD when it is not null.
void tdbnStats(long M, long C, const float* x, float eps, float* mean, float* invStd, double* meanD);

// tdbnStats over the global batch of every replica (sync not empty): two sweeps, each followed by a
// cross-replica sum: [sum of x, M] gives the global mean, then the sum of (x - mean)^2 the biased
// variance (no cancellation, and no shift that would differ between replicas). Returns the global M.
double tdbnStatsGlobal(long M, long C, const float* x, float eps, float* mean, float* invStd, double* meanD,
                       const ReplicaSum& sync);

// The per-channel gradient sums [s1 (C), s2 (C)] summed over every replica with the row count; returns
// the global M (M itself when sync is empty, leaving sums as they are).
double globalGradSums(long M, long C, std::vector<double>& sums, const ReplicaSum& sync);

}  // namespace deepspike::detail
