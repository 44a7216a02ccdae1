// GEMMs with one narrow side, where the blocked micro-kernel GEMM wastes most of its tile: a
// classifier head's C[M, N <= 16] = A B (its forward and weight gradient) and C[M, N] = A B with
// K <= 16 (its input gradient). Both are bound by streaming the long operand or the output, so they
// keep the narrow operand packed in cache and touch the long one once:
// - narrow N: B is packed into [K, 16] (zero columns past N); eight rows of C are eight 16-lane
//   accumulators, and every k adds A(i, k) * B(k, :) to each;
// - narrow K: B is packed into [K, N] rows; four rows of C at a time, 16 columns at a time, sum the
//   K products A(i, k) * B(k, j:j+16).
// Rows of C are split over the threads. Sums run over k in order, in float32 (no FMA contraction).
#include <algorithm>
#include <cstring>

#include "aligned.h"
#include "gemm.h"
#include "ops.h"
#include "pool.h"
#include "simd_clones.h"

namespace deepspike {
namespace {

typedef float v16 __attribute__((vector_size(64)));

constexpr long kRowsN = 8;  // rows of C per narrow-N block
constexpr long kRowsK = 4;  // rows of C per narrow-K block

// 16 floats from p as a v16 (a macro, not a function: a helper outside the DS_CLONES functions would
// be compiled for the baseline ISA and pass the vector through memory).
#define DS_LOAD16(v, p) std::memcpy(&(v), (p), sizeof(v16))

// Rows [i0, i1) of C[:, 0:N] = A B, Bp the packed [K, 16] B.
DS_CLONES void narrowNRows(long i0, long i1, long N, long K, const float* a, long ars, long acs, const float* __restrict bp,
                           float* __restrict c, long ldc) {
  long i = i0;
  for (; i + kRowsN <= i1; i += kRowsN) {
    v16 acc[kRowsN] = {};
    const float* ai = a + i * ars;
    for (long k = 0; k < K; k++) {
      v16 bk;
      DS_LOAD16(bk, bp + k * 16);
      const float* aik = ai + k * acs;
      for (long r = 0; r < kRowsN; r++) acc[r] += aik[r * ars] * bk;
    }
    for (long r = 0; r < kRowsN; r++) std::memcpy(c + (i + r) * ldc, &acc[r], (size_t)N * sizeof(float));
  }
  for (; i < i1; i++) {
    v16 acc = {};
    for (long k = 0; k < K; k++) {
      v16 bk;
      DS_LOAD16(bk, bp + k * 16);
      acc += a[i * ars + k * acs] * bk;
    }
    std::memcpy(c + i * ldc, &acc, (size_t)N * sizeof(float));
  }
}

// Rows [i0, i1) of C[:, 0:N] = A B for K <= 16, Bp the packed [K, N] B.
DS_CLONES void narrowKRows(long i0, long i1, long N, long K, const float* a, long ars, long acs, const float* __restrict bp,
                           float* __restrict c, long ldc) {
  float ak[kRowsK][16];
  for (long i = i0; i < i1; i += kRowsK) {
    const long rows = std::min(kRowsK, i1 - i);
    for (long r = 0; r < kRowsK; r++)
      for (long k = 0; k < K; k++) ak[r][k] = r < rows ? a[(i + r) * ars + k * acs] : 0.f;
    long j = 0;
    for (; j + 16 <= N; j += 16) {
      v16 acc[kRowsK] = {};
      for (long k = 0; k < K; k++) {
        v16 bk;
        DS_LOAD16(bk, bp + k * N + j);
        for (long r = 0; r < kRowsK; r++) acc[r] += ak[r][k] * bk;
      }
      for (long r = 0; r < rows; r++) std::memcpy(c + (i + r) * ldc + j, &acc[r], sizeof(v16));
    }
    for (; j < N; j++)
      for (long r = 0; r < rows; r++) {
        float s = 0.f;
        for (long k = 0; k < K; k++) s += ak[r][k] * bp[k * N + j];
        c[(i + r) * ldc + j] = s;
      }
  }
}

// Splits rows [0, M) over the pool in blocks of `granule` rows (one thread for small products).
template <typename F>
void overRows(long M, long granule, double flops, const F& rows) {
  const long blocks = (M + granule - 1) / granule;
  const int P = flops < 2e6 ? 1 : (int)std::min<long>(poolSize(), blocks);
  if (P <= 1) {
    rows(0, M);
    return;
  }
  parallel(P, [&](int t) {
    const long b = std::min(M, blocks * t / P * granule), e = std::min(M, blocks * (t + 1) / P * granule);
    if (e > b) rows(b, e);
  });
}

}  // namespace

bool gemmNarrow(long M, long N, long K, const float* a, long ars, long acs, const float* b, long brs, long bcs,
                float* C, long ldc) {
  const double flops = 2.0 * M * N * K;
  if (N <= 16 && M >= 4 * kRowsN && K >= 1) {
    AlignedVector<float> bp((size_t)(K * 16), 0.f);
    for (long k = 0; k < K; k++)
      for (long j = 0; j < N; j++) bp[(size_t)(k * 16 + j)] = b[k * brs + j * bcs];
    overRows(M, kRowsN, flops, [&](long i0, long i1) { narrowNRows(i0, i1, N, K, a, ars, acs, bp.data(), C, ldc); });
    return true;
  }
  if (K <= 16 && K >= 1 && N >= 64 && M >= kRowsK) {
    AlignedVector<float> bp((size_t)(K * N));
    for (long k = 0; k < K; k++)
      for (long j = 0; j < N; j++) bp[(size_t)(k * N + j)] = b[k * brs + j * bcs];
    overRows(M, kRowsK, flops, [&](long i0, long i1) { narrowKRows(i0, i1, N, K, a, ars, acs, bp.data(), C, ldc); });
    return true;
  }
  return false;
}

}  // namespace deepspike
