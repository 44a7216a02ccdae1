// GEMM interfaces: micro-kernel selection (run-time CPU dispatch) and the blocked driver.
#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

namespace deepspike {

typedef void (*UKernelFn)(int kc, const float* Ap, const float* Bp, float* C, long ldc, int mr, int nr,
                          int accumulate);
typedef void (*UKernelIndFn)(int kc, const float* const* ap, const float* Bp, float* C, long ldc, int mr, int nr,
                             int accumulate);

typedef void (*UKernelIndTapsFn)(int taps, int kc, const float* const* ap, const float* Bp, long bstride, float* C,
                                 long ldc, int mr, int nr, int accumulate);
typedef void (*UKernelRowsFn)(int kc, const float* const* arow, const float* const* brow, float* C, long ldc, int mr,
                              int nr, int accumulate);
struct ConvGeom;
typedef void (*ConvRowsFn)(const ConvGeom& g, const float* x, const float* w, float* y, long p0, long p1);
// Spike kernels over images [n0, n1); scratch is convSpikesScratch(g) ints; false when x is not binary.
typedef bool (*ConvSpikesFn)(const ConvGeom& g, const float* x, const float* w, float* y, long n0, long n1, int* act);
// The filter gradient's: accumulates into rows at stride ldw; dyPad is null or convSpikesDwPad(g) floats
// with a zero border (stride 1: the column-list kernel, see conv_spikes.inc).
typedef bool (*ConvSpikesDwFn)(const ConvGeom& g, const float* x, const float* dy, float* acc, long ldw, long n0, long n1, int* act,
                               float* dyPad);

// One micro-kernel: MR x NR tile over packed panels, plus the direct few-channel convolutions
// compiled for the same instruction set.
struct UKernel {
  const char* name;
  int mr;
  int nr;
  UKernelFn fn;
  UKernelIndFn ind;  // indirect-A variant (rows by pointer, no packing)
  UKernelIndTapsFn indTaps;  // indirect, several filter taps accumulated in registers
  UKernelRowsFn rows;        // A and B rows by pointer per k (no packing)
  UKernelRowsFn rows8;       // the same with 8 rows (filter gradient: output channels)
  // C < 8, on x padded so every window lies inside it (conv.cc's padForWindows):
  ConvRowsFn smallC;    // forward: output pixels [p0, p1)
  ConvRowsFn smallCDw;  // filter gradient: accumulates pixels [p0, p1) into [KH, KW, C, CO]
  ConvSpikesFn spikes;    // forward for binary x over images [n0, n1) (conv_spikes.inc)
  ConvSpikesDwFn spikesDw;  // filter gradient for binary x over images [n0, n1), accumulating
};

void ukernel_scalar(int, const float*, const float*, float*, long, int, int, int);
void ukernel_vec128(int, const float*, const float*, float*, long, int, int, int);
void ukernel_ind_scalar(int, const float* const*, const float*, float*, long, int, int, int);
void ukernel_indt_scalar(int, int, const float* const*, const float*, long, float*, long, int, int, int);
void ukernel_rr_scalar(int, const float* const*, const float* const*, float*, long, int, int, int);
void ukernel_rr8_scalar(int, const float* const*, const float* const*, float*, long, int, int, int);
void ukernel_ind_vec128(int, const float* const*, const float*, float*, long, int, int, int);
void ukernel_indt_vec128(int, int, const float* const*, const float*, long, float*, long, int, int, int);
void ukernel_rr_vec128(int, const float* const*, const float* const*, float*, long, int, int, int);
void ukernel_rr8_vec128(int, const float* const*, const float* const*, float*, long, int, int, int);
void conv_smallc_scalar(const ConvGeom&, const float*, const float*, float*, long, long);
void conv_smallc_dw_scalar(const ConvGeom&, const float*, const float*, float*, long, long);
bool conv_spikes_scalar(const ConvGeom&, const float*, const float*, float*, long, long, int*);
bool conv_spikes_dw_scalar(const ConvGeom&, const float*, const float*, float*, long, long, long, int*, float*);
void conv_smallc_vec128(const ConvGeom&, const float*, const float*, float*, long, long);
void conv_smallc_dw_vec128(const ConvGeom&, const float*, const float*, float*, long, long);
bool conv_spikes_vec128(const ConvGeom&, const float*, const float*, float*, long, long, int*);
bool conv_spikes_dw_vec128(const ConvGeom&, const float*, const float*, float*, long, long, long, int*, float*);
#if defined(__x86_64__) || defined(_M_X64)
void ukernel_avx2(int, const float*, const float*, float*, long, int, int, int);
void ukernel_avx512(int, const float*, const float*, float*, long, int, int, int);
void ukernel_ind_avx2(int, const float* const*, const float*, float*, long, int, int, int);
void ukernel_indt_avx2(int, int, const float* const*, const float*, long, float*, long, int, int, int);
void ukernel_rr_avx2(int, const float* const*, const float* const*, float*, long, int, int, int);
void ukernel_rr8_avx2(int, const float* const*, const float* const*, float*, long, int, int, int);
void ukernel_ind_avx512(int, const float* const*, const float*, float*, long, int, int, int);
void ukernel_indt_avx512(int, int, const float* const*, const float*, long, float*, long, int, int, int);
void ukernel_rr_avx512(int, const float* const*, const float* const*, float*, long, int, int, int);
void ukernel_rr8_avx512(int, const float* const*, const float* const*, float*, long, int, int, int);
void conv_smallc_avx2(const ConvGeom&, const float*, const float*, float*, long, long);
void conv_smallc_dw_avx2(const ConvGeom&, const float*, const float*, float*, long, long);
bool conv_spikes_avx2(const ConvGeom&, const float*, const float*, float*, long, long, int*);
bool conv_spikes_dw_avx2(const ConvGeom&, const float*, const float*, float*, long, long, long, int*, float*);
void conv_smallc_avx512(const ConvGeom&, const float*, const float*, float*, long, long);
void conv_smallc_dw_avx512(const ConvGeom&, const float*, const float*, float*, long, long);
bool conv_spikes_avx512(const ConvGeom&, const float*, const float*, float*, long, long, int*);
bool conv_spikes_dw_avx512(const ConvGeom&, const float*, const float*, float*, long, long, long, int*, float*);
#endif

// The micro-kernel in use: chosen once from the CPU's features and DEEPSPIKE_NATIVE_SIMD
// (off|scalar, 128|sse|neon, avx2, avx512, auto); can be changed by setSimd().
const UKernel& activeKernel();
// Selects a kernel by name ("auto", "off", "128", "avx2", "avx512"); returns the chosen name.
// Asking for an instruction set the CPU lacks falls back to the best one it has.
const char* setSimd(const char* mode);

constexpr int KC = 256;
constexpr int MC_PANELS = 12;  // A block = MC_PANELS micro-panels (MC = MC_PANELS * MR rows)

// Packs rows [i0, i0+mc) x cols [k0, k0+kc) of A into MR-row panels (k-major, zero padded).
// PackB packs rows [k0, k0+kc) x cols [j0, j0+nc) of B into NR-column panels.
// The driver works on absolute indices, so splitting a GEMM across threads is an offset.

// A(i, k) = a[i*rs + k*cs]
struct StridedA {
  const float* a;
  long rs, cs;
  void operator()(long i0, int mc, long k0, int kc, float* dst, int MR) const {
    for (int p = 0; p < mc; p += MR) {
      float* d = dst + (long)(p / MR) * kc * MR;
      int m = std::min(MR, mc - p);
      if (cs == 1) {
        for (int r = 0; r < m; r++) {
          const float* src = a + (i0 + p + r) * rs + k0;
          for (int k = 0; k < kc; k++) d[k * MR + r] = src[k];
        }
      } else {
        for (int k = 0; k < kc; k++) {
          const float* src = a + (k0 + k) * cs + (i0 + p) * rs;
          for (int r = 0; r < m; r++) d[k * MR + r] = src[r * rs];
        }
      }
      for (int r = m; r < MR; r++)
        for (int k = 0; k < kc; k++) d[k * MR + r] = 0.f;
    }
  }
};

// B(k, j) = b[k*rs + j*cs]
struct StridedB {
  const float* b;
  long rs, cs;
  void operator()(long k0, int kc, long j0, int nc, float* dst, int NR) const {
    for (int p = 0; p < nc; p += NR) {
      float* d = dst + (long)(p / NR) * kc * NR;
      int n = std::min(NR, nc - p);
      if (cs == 1) {
        for (int k = 0; k < kc; k++) {
          const float* src = b + (k0 + k) * rs + j0 + p;
          float* dk = d + k * NR;
          int j = 0;
          for (; j < n; j++) dk[j] = src[j];
          for (; j < NR; j++) dk[j] = 0.f;
        }
      } else {
        for (int j = 0; j < n; j++) {
          const float* src = b + (j0 + p + j) * cs + k0 * rs;
          for (int k = 0; k < kc; k++) d[k * NR + j] = src[k * rs];
        }
        for (int j = n; j < NR; j++)
          for (int k = 0; k < kc; k++) d[k * NR + j] = 0.f;
      }
    }
  }
};

// Thread-local packing buffers.
struct GemmBuffers {
  std::vector<float> a, b;
  void ensure(const UKernel& uk, int nc) {
    size_t na = (size_t)KC * uk.mr * MC_PANELS;
    size_t nb = (size_t)KC * ((nc + uk.nr - 1) / uk.nr) * uk.nr;
    if (a.size() < na) a.resize(na);
    if (b.size() < nb) b.resize(nb);
  }
};

// Single-threaded blocked GEMM: C[i, j] (ldc) (+)= sum_k A(i, k) B(k, j) for i in [i0, i0+M),
// k in [k0, k0+K), j in [0, N). C points at row i0. `accumulate` false overwrites C.
template <class PA, class PB>
void gemmSerial(const UKernel& uk, long i0, long M, long N, long k0, long K, const PA& packA, const PB& packB,
                float* C, long ldc, bool accumulate, GemmBuffers& buf) {
  const int MR = uk.mr, NR = uk.nr;
  const long NC = 4096;
  const long MC = (long)MR * MC_PANELS;
  if (K == 0) {
    if (!accumulate)
      for (long i = 0; i < M; i++) std::fill(C + i * ldc, C + i * ldc + N, 0.f);
    return;
  }
  for (long jc = 0; jc < N; jc += NC) {
    int nc = (int)std::min(NC, N - jc);
    buf.ensure(uk, nc);
    for (long pc = 0; pc < K; pc += KC) {
      int kc = (int)std::min<long>(KC, K - pc);
      packB(k0 + pc, kc, jc, nc, buf.b.data(), NR);
      bool acc = accumulate || pc > 0;
      for (long ic = 0; ic < M; ic += MC) {
        int mc = (int)std::min(MC, M - ic);
        packA(i0 + ic, mc, k0 + pc, kc, buf.a.data(), MR);
        for (int jr = 0; jr < nc; jr += NR) {
          const float* bp = buf.b.data() + (long)(jr / NR) * kc * NR;
          int nr = std::min(NR, nc - jr);
          for (int ir = 0; ir < mc; ir += MR) {
            const float* ap = buf.a.data() + (long)(ir / MR) * kc * MR;
            uk.fn(kc, ap, bp, C + (ic + ir) * ldc + jc + jr, ldc, std::min(MR, mc - ir), nr, acc);
          }
        }
      }
    }
  }
}

GemmBuffers& threadBuffers(int tid);

}  // namespace deepspike
