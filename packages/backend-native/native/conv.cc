// Convolutions as GEMMs over implicit im2col panels (the patch matrix is never materialised).
#include <algorithm>
#include <atomic>
#include <cstring>
#include <vector>

#include "aligned.h"
#include "gemm.h"
#include "ops.h"
#include "pool.h"
#include "winograd.h"

namespace deepspike {

namespace {
// Runs fn(t, acc) for t in [0, P) on the pool, each adding into its own zeroed [size] array (thread 0
// into out itself), then sums the others into out: per-thread partials of a filter gradient.
template <class F>
void threadPartials(float* out, long size, int P, const F& fn) {
  std::vector<std::vector<float>> part(P);
  parallel(P, [&](int t) {
    float* acc = out;
    if (t > 0) {
      part[t].assign((size_t)size, 0.f);
      acc = part[t].data();
    } else {
      std::fill(out, out + size, 0.f);
    }
    fn(t, acc);
  });
  for (int t = 1; t < P; t++)
    for (long i = 0; i < size; i++) out[i] += part[t][i];
}
}  // namespace
namespace {

// A(i = output pixel (n, oh, ow), k = (kh, kw, ci)) = x[n, oh*sh - padT + kh*dh, ow*sw - padL + kw*dw, ci].
struct Im2colA {
  const ConvGeom* g;
  const float* x;
  void operator()(long i0, int mc, long k0, int kc, float* dst, int MR) const {
    const ConvGeom& c = *g;
    const long kend = k0 + kc;
    for (int p = 0; p < mc; p += MR) {
      float* d = dst + (long)(p / MR) * kc * MR;
      int m = std::min(MR, mc - p);
      for (int r = 0; r < m; r++) {
        const WindowOrigin o = windowOrigin(c, i0 + p + r);
        const int ihb = o.ih, iwb = o.iw;
        const float* xn = x + o.n * c.H * c.W * (long)c.C;
        long k = k0;
        while (k < kend) {
          long seg = k / c.C;
          int ci = (int)(k - seg * c.C);
          int len = (int)std::min<long>(c.C - ci, kend - k);
          int kh = (int)(seg / c.KW), kw = (int)(seg % c.KW);
          int ih = ihb + kh * c.dh, iw = iwb + kw * c.dw;
          float* dd = d + (k - k0) * MR + r;
          if (ih >= 0 && ih < c.H && iw >= 0 && iw < c.W) {
            const float* src = xn + ((long)ih * c.W + iw) * c.C + ci;
            for (int l = 0; l < len; l++) dd[l * MR] = src[l];
          } else {
            for (int l = 0; l < len; l++) dd[l * MR] = 0.f;
          }
          k += len;
        }
      }
      for (int r = m; r < MR; r++)
        for (int k = 0; k < kc; k++) d[k * MR + r] = 0.f;
    }
  }
};

// A(i = (kh, kw, ci), k = output pixel) — the transposed patch matrix, for the filter gradient.
struct Im2colAT {
  const ConvGeom* g;
  const float* x;
  void operator()(long i0, int mc, long k0, int kc, float* dst, int MR) const {
    const ConvGeom& c = *g;
    for (int p = 0; p < mc; p += MR) {
      float* d = dst + (long)(p / MR) * kc * MR;
      int m = std::min(MR, mc - p);
      long rb = i0 + p, re = rb + m;
      for (int kk = 0; kk < kc; kk++) {
        const WindowOrigin o = windowOrigin(c, k0 + kk);
        const int ihb = o.ih, iwb = o.iw;
        const float* xn = x + o.n * c.H * c.W * (long)c.C;
        float* dd = d + (long)kk * MR;
        long r = rb;
        while (r < re) {
          long seg = r / c.C;
          int ci = (int)(r - seg * c.C);
          int len = (int)std::min<long>(c.C - ci, re - r);
          int kh = (int)(seg / c.KW), kw = (int)(seg % c.KW);
          int ih = ihb + kh * c.dh, iw = iwb + kw * c.dw;
          float* o = dd + (r - rb);
          if (ih >= 0 && ih < c.H && iw >= 0 && iw < c.W) {
            const float* src = xn + ((long)ih * c.W + iw) * c.C + ci;
            for (int l = 0; l < len; l++) o[l] = src[l];
          } else {
            for (int l = 0; l < len; l++) o[l] = 0.f;
          }
          r += len;
        }
        for (int q = m; q < MR; q++) dd[q] = 0.f;
      }
    }
  }
};

}  // namespace

namespace {
// Indirect convolution (no im2col, no A packing): each micro-kernel call multiplies MR pixels'
// channels for one filter tap (rows read in place; out-of-image taps read a zero row) by the
// packed filter rows of that tap, accumulating over the taps into the output tile.
void conv2dIndirect(const ConvGeom& g, const float* x, const float* w, float* y) {
  const UKernel& uk = activeKernel();
  const int MR = uk.mr, NR = uk.nr;
  const long M = (long)g.N * g.OH * g.OW;
  const int C = g.C, CO = g.CO, taps = g.KH * g.KW;
  const long K = (long)taps * C;
  const int npan = (CO + NR - 1) / NR;
  std::vector<float> wp((size_t)npan * K * NR);
  StridedB{w, CO, 1}(0, (int)K, 0, CO, wp.data(), NR);
  std::vector<float> zeros(C, 0.f);
  const long rowPanels = (M + MR - 1) / MR;
  // Several tasks per thread, handed out dynamically (see parallelFor).
  int P = (int)std::min<long>(rowPanels, 8L * poolSize());
  if (2.0 * M * CO * K < 2e6) P = 1;
  parallel(P, [&](int t) {
    // Row pointers of every tap for the current tile: tapRows[tp*MR + r] (out-of-image taps read zeros).
    std::vector<const float*> tapRows((size_t)taps * MR), ptr((size_t)taps * MR);
    int ihb[32], iwb[32];
    long nb[32];
    for (long rp = rowPanels * t / P; rp < rowPanels * (t + 1) / P; rp++) {
      long i0 = rp * MR;
      int mr = (int)std::min<long>(MR, M - i0);
      for (int r = 0; r < MR; r++) {
        const WindowOrigin o = windowOrigin(g, std::min(i0 + r, M - 1));
        ihb[r] = o.ih;
        iwb[r] = o.iw;
        nb[r] = o.n;
      }
      for (int kh = 0, tp = 0; kh < g.KH; kh++)
        for (int kw = 0; kw < g.KW; kw++, tp++)
          for (int r = 0; r < MR; r++) {
            int ih = ihb[r] + kh * g.dh, iw = iwb[r] + kw * g.dw;
            bool in = r < mr && ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
            tapRows[(size_t)tp * MR + r] = in ? x + (((nb[r] * g.H + ih) * g.W) + iw) * (long)C : zeros.data();
          }
      for (int p = 0; p < npan; p++) {
        int nr = std::min(NR, CO - p * NR);
        float* out = y + i0 * CO + p * NR;
        const float* bp = wp.data() + (size_t)p * K * NR;
        for (int c0 = 0; c0 < C; c0 += KC) {
          int kc = std::min(KC, C - c0);
          const float* const* rows = tapRows.data();
          if (c0 > 0) {
            for (size_t q = 0; q < ptr.size(); q++) ptr[q] = tapRows[q] + c0;
            rows = ptr.data();
          }
          uk.indTaps(taps, kc, rows, bp + (size_t)c0 * NR, (long)C * NR, out, CO, mr, nr, c0 > 0);
        }
      }
    }
  });
}

// x copied into a zero-padded stack of images in which every window of g lies: the returned geometry
// has padT = padL = 0 and H, W just covering the last window, as the few-channel kernels
// (ukernel.inc's DS_CONV_SMALLC, DS_CONV_SMALLC_DW) require, so that they need no bounds checks.
// The copy lives in a buffer of the calling thread, kept across calls: a fresh allocation of this
// size is a fresh mapping each time, and faulting its pages in cost more than the kernel.
struct PaddedInput {
  ConvGeom g;
  const float* x;
};
PaddedInput padForWindows(const ConvGeom& g, const float* x) {
  thread_local AlignedVector<float> buffer;
  PaddedInput p{g, nullptr};
  p.g.padT = p.g.padL = 0;
  if ((long)g.N * g.OH * g.OW <= 0) return p;  // no windows
  p.g.H = (g.OH - 1) * g.sh + (g.KH - 1) * g.dh + 1;
  p.g.W = (g.OW - 1) * g.sw + (g.KW - 1) * g.dw + 1;
  const long rowLen = (long)p.g.W * g.C, image = (long)p.g.H * rowLen;
  if ((long)buffer.size() < g.N * image) buffer.resize((size_t)(g.N * image));
  float* out = buffer.data();
  p.x = out;
  // Input columns [iw0, iw1) land at padded columns [iw0 + padL, ...); everything else is zero.
  const int iw0 = std::max(0, -g.padL), iw1 = std::min(g.W, p.g.W - g.padL);
  const int ih0 = std::max(0, -g.padT), ih1 = std::min(g.H, p.g.H - g.padT);
  parallelFor(g.N, 1, [&](long n0, long n1) {
    for (long n = n0; n < n1; n++)
      for (int r = 0; r < p.g.H; r++) {
        float* dst = out + n * image + r * rowLen;
        const int ih = r - g.padT;
        if (ih < ih0 || ih >= ih1 || iw1 <= iw0) {
          std::fill(dst, dst + rowLen, 0.f);
          continue;
        }
        const long lo = (long)(iw0 + g.padL) * g.C, hi = (long)(iw1 + g.padL) * g.C;
        std::fill(dst, dst + lo, 0.f);
        std::memcpy(dst + lo, x + ((n * g.H + ih) * (long)g.W + iw0) * g.C, sizeof(float) * (size_t)(hi - lo));
        std::fill(dst + hi, dst + rowLen, 0.f);
      }
  });
  return p;
}
}  // namespace

ConvAlgo conv2d(const ConvGeom& g, const float* x, const float* w, float* y) {
  if (winogradEnabled() && winogradApplies(g)) {
    conv2dWinograd(g, x, w, y);
    return ConvAlgo::Winograd;
  }
  if (g.C >= 8 && activeKernel().mr <= 32) {
    conv2dIndirect(g, x, w, y);
    return ConvAlgo::Gemm;
  }
  const UKernel& uk = activeKernel();
  long M = (long)g.N * g.OH * g.OW, K = (long)g.KH * g.KW * g.C, N = g.CO;
  if (g.C < 8) {
    // Few input channels (the image layer): direct, vectorised over the output channels.
    const PaddedInput p = padForWindows(g, x);
    parallelFor(M, 256, [&](long b, long e) { uk.smallC(p.g, p.x, w, y, b, e); });
    return ConvAlgo::Gemm;
  }
  Im2colA pa{&g, x};
  StridedB pb{w, N, 1};
  int P = poolSize();
  long panels = (M + uk.mr - 1) / uk.mr;
  if (P == 1 || 2.0 * M * N * K < 2e6) P = 1;
  parallel(P, [&](int t) {
    long i0 = panels * t / P * uk.mr, i1 = std::min(M, panels * (t + 1) / P * uk.mr);
    if (i1 > i0) gemmSerial(uk, i0, i1 - i0, N, 0, K, pa, pb, y + i0 * N, N, false, threadBuffers(t));
  });
  return ConvAlgo::Gemm;
}

namespace {
// Filter gradient per tap as dW_tap^T [CO, C] = dY^T [CO, pixels] x X_tap [pixels, C], so both
// packings copy contiguous runs: dY rows (CO channels) and the tap-shifted input rows (C channels).
// Pixels are split across threads (partial sums); dw is written as [KH, KW, C, CO].
void conv2dBackpropFilterTaps(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const UKernel& uk = activeKernel();
  // Rows of the tile are output channels: the 8-row kernel when 8 divides CO and MR does not
  // (64 channels: 8 full panels instead of 5 full + one a third used). Only where MR > 8 (AVX-512):
  // 8 rows of a narrower ISA would not fit its registers.
  const bool eight = uk.mr > 8 && g.CO % 8 == 0 && g.CO % uk.mr != 0;
  const UKernelRowsFn rowsFn = eight ? uk.rows8 : uk.rows;
  const int MR = eight ? 8 : uk.mr, NR = uk.nr, C = g.C, CO = g.CO, taps = g.KH * g.KW;
  const long M = (long)g.N * g.OH * g.OW;
  int P = poolSize();
  if (2.0 * M * CO * C * taps < 2e6 || M < 64L * P) P = 1;
  std::vector<std::vector<float>> part(P, std::vector<float>((size_t)taps * CO * C, 0.f));
  const int apan = (CO + MR - 1) / MR, bpan = (C + NR - 1) / NR;
  std::vector<float> zeros(NR, 0.f);
  parallel(P, [&](int t) {
    // Panels lying wholly inside dY's channels / x's channels are read in place (row pointers);
    // only a partial last panel is copied (so no read runs past a row's end).
    std::vector<float> ap((size_t)KC * MR), bp((size_t)bpan * KC * NR);
    std::vector<const float*> arow((size_t)apan * KC), brow((size_t)bpan * KC);
    std::vector<long> base(KC);
    std::vector<int> ihb(KC), iwb(KC);
    float* out = part[t].data();
    const long m0 = M * t / P, m1 = M * (t + 1) / P;
    for (long pc = m0; pc < m1; pc += KC) {
      const int kc = (int)std::min<long>(KC, m1 - pc);
      // A = dY^T: panel q holds channels [q*MR, q*MR+MR) of each pixel.
      for (int q = 0; q < apan; q++) {
        const float** rows = arow.data() + (size_t)q * KC;
        const int m = std::min(MR, CO - q * MR);
        if (m == MR) {
          for (int k = 0; k < kc; k++) rows[k] = dy + (pc + k) * CO + q * MR;
        } else {
          for (int k = 0; k < kc; k++) {
            const float* src = dy + (pc + k) * CO + q * MR;
            float* d = ap.data() + (size_t)k * MR;
            int r = 0;
            for (; r < m; r++) d[r] = src[r];
            for (; r < MR; r++) d[r] = 0.f;
            rows[k] = d;
          }
        }
      }
      for (int k = 0; k < kc; k++) {
        const WindowOrigin o = windowOrigin(g, pc + k);
        ihb[k] = o.ih;
        iwb[k] = o.iw;
        base[k] = o.n;
      }
      for (int kh = 0, tp = 0; kh < g.KH; kh++)
        for (int kw = 0; kw < g.KW; kw++, tp++) {
          // B = X_tap rows: panel q holds channels [q*NR, q*NR+NR) of each shifted pixel.
          for (int k = 0; k < kc; k++) {
            int ih = ihb[k] + kh * g.dh, iw = iwb[k] + kw * g.dw;
            bool in = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
            const float* src = in ? x + ((base[k] * g.H + ih) * g.W + iw) * (long)C : nullptr;
            for (int q = 0; q < bpan; q++) {
              const int n = std::min(NR, C - q * NR);
              const float** rows = brow.data() + (size_t)q * KC;
              if (!src) {
                rows[k] = zeros.data();
              } else if (n == NR) {
                rows[k] = src + q * NR;
              } else {
                float* d = bp.data() + (size_t)q * KC * NR + (size_t)k * NR;
                int j = 0;
                for (; j < n; j++) d[j] = src[q * NR + j];
                for (; j < NR; j++) d[j] = 0.f;
                rows[k] = d;
              }
            }
          }
          float* o = out + (size_t)tp * CO * C;
          for (int qb = 0; qb < bpan; qb++)
            for (int qa = 0; qa < apan; qa++)
              rowsFn(kc, arow.data() + (size_t)qa * KC, brow.data() + (size_t)qb * KC, o + (long)qa * MR * C + qb * NR, C,
                      std::min(MR, CO - qa * MR), std::min(NR, C - qb * NR), 1);
        }
    }
  });
  for (int tp = 0; tp < taps; tp++)
    for (int co = 0; co < CO; co++)
      for (int ci = 0; ci < C; ci++) {
        float s = 0.f;
        for (int t = 0; t < P; t++) s += part[t][((size_t)tp * CO + co) * C + ci];
        dw[((size_t)tp * C + ci) * CO + co] = s;
      }
}
}  // namespace

ConvAlgo conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  if (winogradEnabled() && winogradApplies(g)) {  // (the same shapes as the forward: convAlgo() reports it)
    conv2dBackpropFilterWinograd(g, x, dy, dw);
    return ConvAlgo::Winograd;
  }
  if (g.C >= 8 && g.CO >= 8) {
    conv2dBackpropFilterTaps(g, x, dy, dw);
    return ConvAlgo::Gemm;
  }
  const UKernel& uk = activeKernel();
  if (g.C < 8) {
    // Few input channels: per-thread [KH, KW, C, CO] accumulators over a share of the pixels.
    const long M = (long)g.N * g.OH * g.OW;
    const int P = M < 1024L * poolSize() ? 1 : poolSize();
    const PaddedInput p = padForWindows(g, x);
    threadPartials(dw, (long)g.KH * g.KW * g.C * g.CO, P,
                   [&](int t, float* acc) { uk.smallCDw(p.g, p.x, dy, acc, M * t / P, M * (t + 1) / P); });
    return ConvAlgo::Gemm;
  }
  long Kf = (long)g.KH * g.KW * g.C, M = (long)g.N * g.OH * g.OW, CO = g.CO;
  Im2colAT pa{&g, x};
  StridedB pb{dy, CO, 1};
  int P = poolSize();
  if (2.0 * M * CO * Kf < 2e6 || M < 64L * P) P = 1;
  if (P == 1) {
    gemmSerial(uk, 0, Kf, CO, 0, M, pa, pb, dw, CO, false, threadBuffers(0));
    return ConvAlgo::Gemm;
  }
  std::vector<std::vector<float>> part(P);
  parallel(P, [&](int t) {
    long k0 = M * t / P, k1 = M * (t + 1) / P;
    float* out = dw;
    if (t > 0) {
      part[t].assign((size_t)Kf * CO, 0.f);
      out = part[t].data();
    }
    gemmSerial(uk, 0, Kf, CO, k0, k1 - k0, pa, pb, out, CO, false, threadBuffers(t));
  });
  long total = Kf * CO;
  for (int t = 1; t < P; t++) {
    const float* s = part[t].data();
    for (long i = 0; i < total; i++) dw[i] += s[i];
  }
  return ConvAlgo::Gemm;
}

ConvAlgo conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx) {
  long Kf = (long)g.KH * g.KW * g.C;
  if (g.sh == 1 && g.sw == 1) {
    // Stride 1: dx is a forward convolution of dy with the flipped filter W'[kh, kw, co, ci] =
    // W[KH-1-kh, KW-1-kw, ci, co], padding (K-1)*d - pad (negative pads are bounds-checked).
    std::vector<float> wf((size_t)Kf * g.CO);
    for (int kh = 0; kh < g.KH; kh++)
      for (int kw = 0; kw < g.KW; kw++)
        for (int ci = 0; ci < g.C; ci++)
          for (int co = 0; co < g.CO; co++)
            wf[(((long)(g.KH - 1 - kh) * g.KW + (g.KW - 1 - kw)) * g.CO + co) * g.C + ci] =
                w[(((long)kh * g.KW + kw) * g.C + ci) * g.CO + co];
    ConvGeom b = {g.N, g.OH, g.OW, g.CO, g.KH, g.KW, g.H, g.W, g.C, 1, 1, g.dh, g.dw,
                  (g.KH - 1) * g.dh - g.padT, (g.KW - 1) * g.dw - g.padL};
    return conv2d(b, dy, wf.data(), dx);
  }
  // General stride: per image, dcol [OH*OW, Kf] = dy_n [OH*OW, CO] * W^T, then scatter-add (col2im).
  const UKernel& uk = activeKernel();
  long rows = (long)g.OH * g.OW;
  long imgIn = (long)g.H * g.W * g.C;
  std::memset(dx, 0, sizeof(float) * imgIn * g.N);
  int P = std::min(poolSize(), g.N);
  std::vector<std::vector<float>> cols(P);
  parallel(P, [&](int t) {
    std::vector<float>& col = cols[t];
    col.resize((size_t)rows * Kf);
    for (long n = (long)g.N * t / P; n < (long)g.N * (t + 1) / P; n++) {
      StridedA pa{dy + n * rows * g.CO, g.CO, 1};
      StridedB pb{w, 1, g.CO};
      gemmSerial(uk, 0, rows, Kf, 0, g.CO, pa, pb, col.data(), Kf, false, threadBuffers(t));
      float* dxn = dx + n * imgIn;
      for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++) {
          const float* c = col.data() + ((long)oh * g.OW + ow) * Kf;
          for (int kh = 0; kh < g.KH; kh++) {
            int ih = oh * g.sh - g.padT + kh * g.dh;
            if (ih < 0 || ih >= g.H) continue;
            for (int kw = 0; kw < g.KW; kw++) {
              int iw = ow * g.sw - g.padL + kw * g.dw;
              if (iw < 0 || iw >= g.W) continue;
              float* o = dxn + ((long)ih * g.W + iw) * g.C;
              const float* s = c + ((long)kh * g.KW + kw) * g.C;
              for (int ci = 0; ci < g.C; ci++) o[ci] += s[ci];
            }
          }
        }
    }
  });
  return ConvAlgo::Gemm;
}

// Spike-aware forward: for binary inputs, add the filter row W[kh, kw, ci, :] into every output the
// active input (n, ih, iw, ci) reaches; cost proportional to the number of spikes. Images in parallel
// (the per-ISA kernel is conv_spikes.inc).
bool conv2dSpikes(const ConvGeom& g, const float* x, const float* w, float* y) {
  const UKernel& uk = activeKernel();
  std::atomic<bool> binary{true};
  parallelFor(g.N, 1, [&](long b, long e) {
    std::vector<int> scratch((size_t)convSpikesScratch(g));
    for (long n = b; n < e && binary.load(std::memory_order_relaxed); n++)
      if (!uk.spikes(g, x, w, y, n, n + 1, scratch.data())) binary = false;
  });
  return binary;
}

// Spike-aware filter gradient: every active input adds the dY rows of the outputs it reaches into
// dW[kh, kw, ci, :]. Per-thread [KH, KW, C, CO] partials over a share of the images, then summed.
bool conv2dBackpropFilterSpikes(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const UKernel& uk = activeKernel();
  const int P = (int)std::max(1L, std::min<long>(poolSize(), g.N));
  // Rows padded to a stride that is not a multiple of 4 KB / 16 rows: with CO = 64 the dW rows of
  // one tap sit 256 B apart, so a row 16 channels away aliases in the low 12 address bits and its load
  // waits on the other's store (measured: 16 cycles per row update instead of ~4).
  const long ldw = (g.CO + 15) / 16 * 16 + 16, rows = (long)g.KH * g.KW * g.C;
  // Each partial starts on a 64-byte boundary (so do its rows: ldw is a multiple of 16 floats): a row's
  // vector loads and stores then never straddle cache lines, and the next pixel's load of a row just
  // stored forwards from the store instead of waiting for it (measured on the cifar shape [128,32,32,64] at 17 % density: 42.6 -> 32.1 ms).
  std::vector<AlignedVector<float>> part(P);
  std::atomic<bool> binary{true};
  // Stride 1: the column-list kernel, over a zero-padded copy of each image's dY (border zeroed once here).
  const bool columns = g.sh == 1 && g.sw == 1;
  parallel(P, [&](int t) {
    part[t].assign((size_t)(rows * ldw), 0.f);
    std::vector<int> scratch((size_t)convSpikesScratch(g));
    AlignedVector<float> dyPad(columns ? (size_t)convSpikesDwPad(g) : 0, 0.f);
    for (long n = g.N * t / P; n < g.N * (t + 1) / P && binary.load(std::memory_order_relaxed); n++)
      if (!uk.spikesDw(g, x, dy, part[t].data(), ldw, n, n + 1, scratch.data(), columns ? dyPad.data() : nullptr)) binary = false;
  });
  if (!binary) return false;
  parallelFor(rows, 64, [&](long b, long e) {
    for (long r = b; r < e; r++)
      for (long co = 0; co < g.CO; co++) {
        float sum = 0.f;
        for (int t = 0; t < P; t++) sum += part[t][r * ldw + co];
        dw[r * g.CO + co] = sum;
      }
  });
  return true;
}

}  // namespace deepspike
