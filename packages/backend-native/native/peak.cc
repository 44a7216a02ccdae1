// The cores' fp32 FMA peak, measured: every thread of the pool runs independent chains of fused
// multiply-adds in registers (no memory traffic) for the instruction set the micro-kernels use
// (DEEPSPIKE_NATIVE_SIMD), so a kernel's GFLOP/s can be read as a fraction of what the cores can do.
#include <atomic>
#include <chrono>
#include <algorithm>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "ops.h"
#include "pool.h"
#include "simd_clones.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace deepspike {
namespace {

// Chains per thread: enough independent accumulators to cover FMA latency x issue width (4 x 2 on
// current x86 cores). Each returns the flops it did (2 per lane per FMA).
constexpr int kChains = 12;

#if defined(__x86_64__) && defined(__GNUC__)
__attribute__((target("avx512f,fma"))) double burnAvx512(long iters) {
  __m512 acc[kChains];
  for (int i = 0; i < kChains; i++) acc[i] = _mm512_set1_ps(1.0f + 0.001f * i);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long it = 0; it < iters; it++)
    for (int i = 0; i < kChains; i++) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  float sink = 0;
  for (int i = 0; i < kChains; i++) sink += _mm512_reduce_add_ps(acc[i]);
  volatile float keep = sink;
  (void)keep;
  return 2.0 * 16 * kChains * (double)iters;
}

__attribute__((target("avx2,fma"))) double burnAvx2(long iters) {
  __m256 acc[kChains];
  for (int i = 0; i < kChains; i++) acc[i] = _mm256_set1_ps(1.0f + 0.001f * i);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  for (long it = 0; it < iters; it++)
    for (int i = 0; i < kChains; i++) acc[i] = _mm256_fmadd_ps(acc[i], a, b);
  alignas(32) float lanes[8];
  float sink = 0;
  for (int i = 0; i < kChains; i++) {
    _mm256_store_ps(lanes, acc[i]);
    for (float v : lanes) sink += v;
  }
  volatile float keep = sink;
  (void)keep;
  return 2.0 * 8 * kChains * (double)iters;
}
#endif

// Baseline: 4-lane vectors as the vec128 micro-kernel uses (multiply then add: no FMA without -m flags).
double burnVec128(long iters) {
  typedef float v4 __attribute__((vector_size(16)));
  v4 acc[kChains];
  for (int i = 0; i < kChains; i++) acc[i] = v4{1.0f, 1.0f, 1.0f, 1.0f} + 0.001f * i;
  const v4 a = {0.999999f, 0.999999f, 0.999999f, 0.999999f}, b = {1e-7f, 1e-7f, 1e-7f, 1e-7f};
  for (long it = 0; it < iters; it++)
    for (int i = 0; i < kChains; i++) acc[i] = acc[i] * a + b;
  float sink = 0;
  for (int i = 0; i < kChains; i++) sink += acc[i][0] + acc[i][1] + acc[i][2] + acc[i][3];
  volatile float keep = sink;
  (void)keep;
  return 2.0 * 4 * kChains * (double)iters;
}

// Scalar (DEEPSPIKE_NATIVE_SIMD=off): one lane per chain, as the scalar micro-kernel computes.
double burnScalar(long iters) {
  volatile float seed = 1.0f;
  float acc[kChains];
  for (int i = 0; i < kChains; i++) acc[i] = seed + 0.001f * i;
  const float a = 0.999999f, b = 1e-7f;
  for (long it = 0; it < iters; it++)
    for (int i = 0; i < kChains; i++) acc[i] = acc[i] * a + b;
  float sink = 0;
  for (float v : acc) sink += v;
  volatile float keep = sink;
  (void)keep;
  return 2.0 * kChains * (double)iters;
}

double burn(const char* simd, long iters) {
  if (std::strcmp(simd, "scalar") == 0) return burnScalar(iters);
#if defined(__x86_64__) && defined(__GNUC__)
  if (std::strcmp(simd, "avx512") == 0) return burnAvx512(iters);
  if (std::strcmp(simd, "avx2") == 0) return burnAvx2(iters);
#endif
  return burnVec128(iters);
}

}  // namespace

FmaPeak fmaPeak(double seconds) {
  const char* simd = activeKernel().name;
  const int P = poolSize();
  // Size one burst at ~2 ms on this core, then run bursts on every thread until `seconds` pass;
  // the best burst of each thread counts (a preempted burst only lowers its own figure).
  const long iters = 200000;
  std::vector<double> best(P, 0.0);
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  parallel(P, [&](int t) {
    do {
      const auto t0 = std::chrono::steady_clock::now();
      const double flops = burn(simd, iters);
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (s > 0 && flops / s > best[t]) best[t] = flops / s;
    } while (std::chrono::steady_clock::now() < until);
  });
  double total = 0, perThread = 0;
  for (double b : best) {
    total += b;
    perThread = std::max(perThread, b);
  }
  return {simd, P, total / 1e9, perThread / 1e9};
}

namespace {
// a[i] = b[i] + s * c[i] over [i0, i1): STREAM's triad (two reads and one write per element).
DS_CLONES void triad(float* __restrict a, const float* __restrict b, const float* __restrict c, float s, long i0, long i1) {
  for (long i = i0; i < i1; i++) a[i] = b[i] + s * c[i];
}
}  // namespace

// Memory bandwidth as STREAM measures it: the triad over three arrays far larger than the caches,
// split across the pool's threads; each pass moves 3 x 4 bytes per element (write-allocate traffic
// not counted, as STREAM does not), and the best pass within `seconds` counts.
MemBandwidth memBandwidth(double seconds) {
  const int P = poolSize();
  const long n = 16L << 20;  // 64 MiB per array
  std::vector<float> a(n), b(n, 1.0f), c(n, 2.0f);
  // First touch from the threads that will stream each part.
  parallel(P, [&](int t) { triad(a.data(), b.data(), c.data(), 0.5f, n * t / P, n * (t + 1) / P); });
  double best = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  do {
    const auto t0 = std::chrono::steady_clock::now();
    parallel(P, [&](int t) { triad(a.data(), b.data(), c.data(), 0.5f, n * t / P, n * (t + 1) / P); });
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s > 0) best = std::max(best, 3.0 * 4.0 * (double)n / s);
  } while (std::chrono::steady_clock::now() < until);
  volatile float keep = a[n / 2];
  (void)keep;
  return {P, best / 1e9};
}

}  // namespace deepspike
