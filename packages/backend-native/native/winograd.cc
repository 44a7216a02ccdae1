// Winograd F(2x2, 3x3) convolution (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016) for dense 3x3, stride-1, dilation-1 convolutions, NHWC.
//
// The output is cut into 2x2 tiles; tile (th, tw) needs the 4x4 input tile d whose top-left pixel is
// (2*th - padT, 2*tw - padL) (neighbouring input tiles overlap by 2; pixels outside the image are
// zeros). For one input channel c and output channel co, with g the 3x3 filter w[:, :, c, co],
//   Y (2x2) = A^T [ U ⊙ V ] A,   U = G g G^T (4x4),   V = B^T d B (4x4),
// where ⊙ is the element-wise product and
//   B^T = | 1  0 -1  0 |     G = | 1    0    0   |     A^T = | 1  1  1  0 |
//         | 0  1  1  0 |         | 1/2  1/2  1/2 |           | 0  1 -1 -1 |
//         | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
//         | 0  1  0 -1 |         | 0    0    1   |
// A^T (.) A is linear, so the sum over c moves inside it: for each of the 16 positions xi of the 4x4
// transformed tile, M_xi [tiles, CO] = V_xi [tiles, C] x U_xi [C, CO] is an ordinary GEMM, and
// Y = A^T M A per tile and output channel. That is 16 multiply-adds per 4 outputs and input
// channel instead of 36 (2.25x fewer flops); the transforms are additions only.
//
// Blocking: tiles are taken in blocks of T (a multiple of the micro-kernel's MR). Per block, one
// thread transforms its input tiles into V [16][T][C], runs the 16 GEMMs into M [16][T][CO] with the
// existing micro-kernel (A rows read in place by pointer, B = U packed once per call into the
// kernel's NR-column panels), then transforms M into y. T is chosen so V and M stay in the core's
// L2; the whole transformed tensor is never materialised. Threads take blocks dynamically.
#include "winograd.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <vector>

#include "gemm.h"
#include "pool.h"
#include "simd_clones.h"

namespace deepspike {

namespace {

constexpr int XI = 16;  // positions of the 4x4 transformed tile

int g_enabled = -1;  // -1: not read yet

// Tiles of the output: TH x TW per image (the last row / column may be partial).
struct TileGrid {
  int th, tw;
  long perImage, count;
  explicit TileGrid(const ConvGeom& g)
      : th((g.OH + 1) / 2), tw((g.OW + 1) / 2), perImage((long)th * tw), count(perImage * g.N) {}
};

// U = G g G^T for every (c, co), packed for the micro-kernel: panel p of position xi holds output
// channels [p*NR, p*NR + NR) as up[((xi*npan + p)*C + c)*NR + co - p*NR] (zero past CO). Computed in
// double and rounded once (the halves are exact; this keeps U the correctly rounded transform).
void transformFilter(const ConvGeom& g, const float* w, int NR, std::vector<float>& up) {
  const int C = g.C, CO = g.CO, npan = (CO + NR - 1) / NR;
  up.assign((size_t)XI * npan * C * NR, 0.f);
  parallelFor(C, 8, [&](long c0, long c1) {
    for (long c = c0; c < c1; c++)
      for (int co = 0; co < CO; co++) {
        double k[3][3], t[4][3];
        for (int i = 0; i < 3; i++)
          for (int j = 0; j < 3; j++) k[i][j] = w[((long)(i * 3 + j) * C + c) * CO + co];
        // t = G g (rows).
        for (int j = 0; j < 3; j++) {
          t[0][j] = k[0][j];
          t[1][j] = 0.5 * (k[0][j] + k[1][j] + k[2][j]);
          t[2][j] = 0.5 * (k[0][j] - k[1][j] + k[2][j]);
          t[3][j] = k[2][j];
        }
        // U = t G^T (columns).
        const int p = co / NR, j0 = co - p * NR;
        for (int i = 0; i < 4; i++) {
          const double u[4] = {t[i][0], 0.5 * (t[i][0] + t[i][1] + t[i][2]), 0.5 * (t[i][0] - t[i][1] + t[i][2]), t[i][2]};
          for (int j = 0; j < 4; j++) up[(((size_t)(i * 4 + j) * npan + p) * C + c) * NR + j0] = (float)u[j];
        }
      }
  });
}

// V = B^T d B for tiles [t0, t0 + nt) and every input channel: V[xi*T*C + i*C + c] for the block's
// tile i. Input pixels outside the image read `zeros` (C floats). Vectorised over the channels.
DS_CLONES void transformInput(const ConvGeom& g, const TileGrid& grid, const float* __restrict x,
                              const float* __restrict zeros, long t0, int nt, int T, float* __restrict V) {
  const int C = g.C;
  const long xs = (long)T * C;
  for (int i = 0; i < nt; i++) {
    const long t = t0 + i, n = t / grid.perImage;
    const int r = (int)(t - n * grid.perImage);
    const int ih0 = (r / grid.tw) * 2 - g.padT, iw0 = (r % grid.tw) * 2 - g.padL;
    const float* d[16];
    for (int a = 0; a < 4; a++)
      for (int b = 0; b < 4; b++) {
        const int ih = ih0 + a, iw = iw0 + b;
        const bool in = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
        d[a * 4 + b] = in ? x + ((n * g.H + ih) * g.W + iw) * (long)C : zeros;
      }
    float* v = V + (long)i * C;
#pragma GCC ivdep
    for (int c = 0; c < C; c++) {
      // B^T d: row combinations.
      float s[4][4];
      for (int j = 0; j < 4; j++) {
        const float d0 = d[j][c], d1 = d[4 + j][c], d2 = d[8 + j][c], d3 = d[12 + j][c];
        s[0][j] = d0 - d2;
        s[1][j] = d1 + d2;
        s[2][j] = d2 - d1;
        s[3][j] = d1 - d3;
      }
      // (B^T d) B: the same on the columns.
      for (int a = 0; a < 4; a++) {
        v[(a * 4 + 0) * xs + c] = s[a][0] - s[a][2];
        v[(a * 4 + 1) * xs + c] = s[a][1] + s[a][2];
        v[(a * 4 + 2) * xs + c] = s[a][2] - s[a][1];
        v[(a * 4 + 3) * xs + c] = s[a][1] - s[a][3];
      }
    }
  }
}

// Y = A^T M A for tiles [t0, t0 + nt): M[xi*T*CO + i*CO + co] -> y. Outputs past the image edge
// (partial tiles) are written to `sink` (CO floats) instead. Vectorised over the output channels.
DS_CLONES void transformOutput(const ConvGeom& g, const TileGrid& grid, const float* __restrict M, long t0, int nt,
                               int T, float* __restrict y, float* __restrict sink) {
  const int CO = g.CO;
  const long ms = (long)T * CO;
  for (int i = 0; i < nt; i++) {
    const long t = t0 + i, n = t / grid.perImage;
    const int r = (int)(t - n * grid.perImage);
    const int oh0 = (r / grid.tw) * 2, ow0 = (r % grid.tw) * 2;
    float* o[4];
    for (int a = 0; a < 2; a++)
      for (int b = 0; b < 2; b++) {
        const int oh = oh0 + a, ow = ow0 + b;
        o[a * 2 + b] = oh < g.OH && ow < g.OW ? y + ((n * g.OH + oh) * g.OW + ow) * (long)CO : sink;
      }
    const float* m = M + (long)i * CO;
#pragma GCC ivdep
    for (int co = 0; co < CO; co++) {
      // A^T M: row combinations.
      float s[2][4];
      for (int j = 0; j < 4; j++) {
        const float m0 = m[j * ms + co], m1 = m[(4 + j) * ms + co], m2 = m[(8 + j) * ms + co], m3 = m[(12 + j) * ms + co];
        s[0][j] = m0 + m1 + m2;
        s[1][j] = m1 - m2 - m3;
      }
      // (A^T M) A: the same on the columns.
      o[0][co] = s[0][0] + s[0][1] + s[0][2];
      o[1][co] = s[0][1] - s[0][2] - s[0][3];
      o[2][co] = s[1][0] + s[1][1] + s[1][2];
      o[3][co] = s[1][1] - s[1][2] - s[1][3];
    }
  }
}

// Tiles per block: V and M of a block (16 * T * (C + CO) floats) within about L2_BUDGET bytes,
// a multiple of MR, at least one panel.
constexpr long L2_BUDGET = 640 * 1024;
int blockTiles(const ConvGeom& g, int MR) {
  const long perTile = (long)XI * (g.C + g.CO) * (long)sizeof(float);
  long T = L2_BUDGET / perTile / MR * MR;
  return (int)std::max<long>(MR, std::min<long>(T, 32L * MR));
}

}  // namespace

bool winogradEnabled() {
  if (g_enabled < 0) {
    const char* env = std::getenv("DEEPSPIKE_WINOGRAD");
    g_enabled = env && env[0] == '0' ? 0 : 1;
  }
  return g_enabled == 1;
}

void setWinograd(bool on) { g_enabled = on ? 1 : 0; }

bool winogradApplies(const ConvGeom& g) {
  return g.KH == 3 && g.KW == 3 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.C >= 16 && g.CO >= 16 &&
         g.OH >= 2 && g.OW >= 2;
}

void conv2dWinograd(const ConvGeom& g, const float* x, const float* w, float* y) {
  const UKernel& uk = activeKernel();
  const int MR = uk.mr, NR = uk.nr, C = g.C, CO = g.CO;
  const int npan = (CO + NR - 1) / NR;
  std::vector<float> up;
  transformFilter(g, w, NR, up);
  const TileGrid grid(g);
  const int T = blockTiles(g, MR);
  const long blocks = (grid.count + T - 1) / T;
  const std::vector<float> zeros((size_t)std::max(C, CO), 0.f);
  std::atomic<long> next{0};
  int P = (int)std::min<long>(poolSize(), blocks);
  if (2.0 * grid.count * XI * C * CO < 2e6) P = 1;
  parallel(P, [&](int) {
    // Per-thread block buffers, kept across calls (the pool's threads persist).
    static thread_local std::vector<float> V, M, sink;
    if (V.size() < (size_t)XI * T * C) V.resize((size_t)XI * T * C);
    if (M.size() < (size_t)XI * T * CO) M.resize((size_t)XI * T * CO);
    if (sink.size() < (size_t)CO) sink.resize((size_t)CO);
    std::vector<const float*> rows(MR);
    for (long b; (b = next.fetch_add(1)) < blocks;) {
      const long t0 = b * T;
      const int nt = (int)std::min<long>(T, grid.count - t0);
      transformInput(g, grid, x, zeros.data(), t0, nt, T, V.data());
      // M_xi = V_xi U_xi: MR tiles x NR output channels per micro-kernel call, C in KC chunks.
      for (int xi = 0; xi < XI; xi++) {
        const float* vx = V.data() + (size_t)xi * T * C;
        float* mx = M.data() + (size_t)xi * T * CO;
        for (int p = 0; p < npan; p++) {
          const int nr = std::min(NR, CO - p * NR);
          const float* bp = up.data() + ((size_t)xi * npan + p) * C * NR;
          for (int i0 = 0; i0 < nt; i0 += MR) {
            const int mr = std::min(MR, nt - i0);
            for (int c0 = 0; c0 < C; c0 += KC) {
              const int kc = std::min(KC, C - c0);
              for (int r = 0; r < MR; r++) rows[r] = r < mr ? vx + (long)(i0 + r) * C + c0 : zeros.data();
              uk.ind(kc, rows.data(), bp + (size_t)c0 * NR, mx + (long)i0 * CO + p * NR, CO, mr, nr, c0 > 0);
            }
          }
        }
      }
      transformOutput(g, grid, M.data(), t0, nt, T, y, sink.data());
    }
  });
}

}  // namespace deepspike
