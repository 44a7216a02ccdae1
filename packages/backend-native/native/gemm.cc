// Micro-kernel dispatch (run time, by CPU feature) and the shared GEMM entry points.
#include "gemm.h"

#include <cstdlib>
#include <cstring>
#include <string>

#include "ops.h"
#include "pool.h"

namespace deepspike {
namespace {

const UKernel kScalar = {"scalar", 4, 4, ukernel_scalar, ukernel_ind_scalar, ukernel_indt_scalar, ukernel_rr_scalar, ukernel_rr8_scalar, conv_smallc_scalar, conv_smallc_dw_scalar, conv_spikes_scalar, conv_spikes_dw_scalar};
#if defined(__aarch64__)
const UKernel kVec128 = {"neon", 6, 8, ukernel_vec128, ukernel_ind_vec128, ukernel_indt_vec128, ukernel_rr_vec128, ukernel_rr8_vec128, conv_smallc_vec128, conv_smallc_dw_vec128, conv_spikes_vec128, conv_spikes_dw_vec128};
#elif defined(__x86_64__) || defined(_M_X64)
const UKernel kVec128 = {"sse2", 6, 8, ukernel_vec128, ukernel_ind_vec128, ukernel_indt_vec128, ukernel_rr_vec128, ukernel_rr8_vec128, conv_smallc_vec128, conv_smallc_dw_vec128, conv_spikes_vec128, conv_spikes_dw_vec128};
const UKernel kAvx2 = {"avx2", 6, 16, ukernel_avx2, ukernel_ind_avx2, ukernel_indt_avx2, ukernel_rr_avx2, ukernel_rr8_avx2, conv_smallc_avx2, conv_smallc_dw_avx2, conv_spikes_avx2, conv_spikes_dw_avx2};
const UKernel kAvx512 = {"avx512", 12, 32, ukernel_avx512, ukernel_ind_avx512, ukernel_indt_avx512, ukernel_rr_avx512, ukernel_rr8_avx512, conv_smallc_avx512, conv_smallc_dw_avx512, conv_spikes_avx512, conv_spikes_dw_avx512};
#else
const UKernel kVec128 = {"vec128", 6, 8, ukernel_vec128, ukernel_ind_vec128, ukernel_indt_vec128, ukernel_rr_vec128, ukernel_rr8_vec128, conv_smallc_vec128, conv_smallc_dw_vec128, conv_spikes_vec128, conv_spikes_dw_vec128};
#endif

const UKernel* pick(const std::string& mode) {
  if (mode == "off" || mode == "scalar" || mode == "0" || mode == "false") return &kScalar;
#if defined(__x86_64__) || defined(_M_X64)
  __builtin_cpu_init();
  bool has512 = __builtin_cpu_supports("avx512f");
  bool has2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (mode == "128" || mode == "sse2" || mode == "sse") return &kVec128;
  if (mode == "avx2") return has2 ? &kAvx2 : &kVec128;
  if (has512) return &kAvx512;
  if (has2) return &kAvx2;
  return &kVec128;
#else
  return &kVec128;
#endif
}

const UKernel* g_active = nullptr;

}  // namespace

const UKernel& activeKernel() {
  if (!g_active) {
    const char* env = std::getenv("DEEPSPIKE_NATIVE_SIMD");
    g_active = pick(env ? env : "auto");
  }
  return *g_active;
}

const char* setSimd(const char* mode) {
  g_active = pick(mode);
  return g_active->name;
}

GemmBuffers& threadBuffers(int tid) {
  static std::vector<GemmBuffers> bufs(256);
  return bufs[tid & 255];
}

// C[M, N] (ldc) = A(M, K) * B(K, N) (+ C when accumulate), A(i,k) = a[i*ars + k*acs],
// B(k,j) = b[k*brs + j*bcs]. Threads split M when it is large, else N, else K (partial sums).
void gemm(long M, long N, long K, const float* a, long ars, long acs, const float* b, long brs, long bcs,
          float* C, long ldc, bool accumulate) {
  if (!accumulate && gemmNarrow(M, N, K, a, ars, acs, b, brs, bcs, C, ldc)) return;
  const UKernel& uk = activeKernel();
  StridedA pa{a, ars, acs};
  StridedB pb{b, brs, bcs};
  int P = poolSize();
  double flops = 2.0 * M * N * K;
  if (P == 1 || flops < 2e6) {
    gemmSerial(uk, 0, M, N, 0, K, pa, pb, C, ldc, accumulate, threadBuffers(0));
    return;
  }
  if (M >= (long)P * uk.mr * 4) {
    long panels = (M + uk.mr - 1) / uk.mr;
    parallel(P, [&](int t) {
      long i0 = panels * t / P * uk.mr, i1 = std::min(M, panels * (t + 1) / P * uk.mr);
      if (i1 > i0) gemmSerial(uk, i0, i1 - i0, N, 0, K, pa, pb, C + i0 * ldc, ldc, accumulate, threadBuffers(t));
    });
    return;
  }
  if (N >= (long)P * uk.nr * 2) {
    long panels = (N + uk.nr - 1) / uk.nr;
    parallel(P, [&](int t) {
      long j0 = panels * t / P * uk.nr, j1 = std::min(N, panels * (t + 1) / P * uk.nr);
      if (j1 <= j0) return;
      StridedB pbt{b + j0 * bcs, brs, bcs};
      gemmSerial(uk, 0, M, j1 - j0, 0, K, pa, pbt, C + j0, ldc, accumulate, threadBuffers(t));
    });
    return;
  }
  // Small M and N, long K: split K, then add the partial products.
  std::vector<std::vector<float>> part(P);
  parallel(P, [&](int t) {
    long k0 = K * t / P, k1 = K * (t + 1) / P;
    part[t].assign((size_t)M * N, 0.f);
    gemmSerial(uk, 0, M, N, k0, k1 - k0, pa, pb, part[t].data(), N, false, threadBuffers(t));
  });
  for (long i = 0; i < M; i++) {
    float* c = C + i * ldc;
    for (long j = 0; j < N; j++) {
      float s = accumulate ? c[j] : 0.f;
      for (int t = 0; t < P; t++) s += part[t][i * N + j];
      c[j] = s;
    }
  }
}

}  // namespace deepspike
