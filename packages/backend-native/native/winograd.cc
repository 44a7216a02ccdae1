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
// thread transforms its input tiles into V [T][16][C] (each tile's 16 rows side by side), runs the 16
// GEMMs into M [T][16][CO] with the existing indirect micro-kernel (UKernel::ind: the MR rows of
// V_xi are read in place by pointer, one tile apart; B = U packed once per call into the kernel's
// NR-column panels; M_xi rows are written at the tile stride), then transforms M into y. T is chosen
// so V and M stay in the core's L2; the whole transformed tensor is never materialised (cifar-resnet's
// 128 x 32 x 32 x 64 would be 134 MB). Threads take blocks dynamically.
#include "winograd.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "aligned.h"
#include "gemm.h"
#include "pool.h"
#include "simd_clones.h"

namespace deepspike {

namespace {

constexpr int XI = 16;  // positions of the 4x4 transformed tile
constexpr long kAhead = 4;  // tiles between a prefetch of input pixels and their use

int g_enabled = -1;  // -1: not read yet

// Tiles of the output: TH x TW per image (the last row / column may be partial).
struct TileGrid {
  int th, tw;
  long perImage, count;
  explicit TileGrid(const ConvGeom& g)
      : th((g.OH + 1) / 2), tw((g.OW + 1) / 2), perImage((long)th * tw), count(perImage * g.N) {}
  // Tile t's image and the top-left pixel (oh0, ow0) of its 2x2 outputs.
  struct Origin {
    long n;
    int oh0, ow0;
  };
  Origin origin(long t) const {
    const long n = t / perImage;
    const int r = (int)(t - n * perImage);
    return {n, (r / tw) * 2, (r % tw) * 2};
  }
};

// The rows (CO floats) of tile t's 2x2 output pixels in y [N, OH, OW, CO], pixel (a, b) at o[a*2 + b];
// pixels past the image edge (partial tiles) get `outside`.
template <class P>
inline void tileOutputs(const ConvGeom& g, const TileGrid& grid, long t, P* y, P* outside, P* (&o)[4]) {
  const TileGrid::Origin org = grid.origin(t);
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 2; b++) {
      const int oh = org.oh0 + a, ow = org.ow0 + b;
      o[a * 2 + b] = oh < g.OH && ow < g.OW ? y + ((org.n * g.OH + oh) * g.OW + ow) * (long)g.CO : outside;
    }
}

// U = G g G^T for input channels [c0, c1) and every output channel, packed for the micro-kernel:
// panel p of position xi holds output channels [p*NR, p*NR + NR) as
// u[((xi*npan + p)*C + c)*NR + co - p*NR]. Computed in double and rounded once (the halves are
// exact: U is the correctly rounded transform). Vectorised over the output channels.
DS_CLONES void filterRows(const ConvGeom& g, const float* __restrict w, int NR, long c0, long c1, float* __restrict u) {
  const int C = g.C, CO = g.CO, npan = (CO + NR - 1) / NR;
  for (long c = c0; c < c1; c++)
    for (int p = 0; p < npan; p++) {
      const int nr = std::min(NR, CO - p * NR);
      const float* k = w + c * CO + p * NR;  // tap (a, b) at k[(a*3 + b)*C*CO]
      const long tap = (long)C * CO, xis = (long)npan * C * NR;
      float* __restrict o = u + ((long)p * C + c) * NR;  // position xi at o[xi*xis]
#pragma GCC ivdep
      for (int j = 0; j < nr; j++) {
        double t[4][3];
        // t = G g (rows).
        for (int b = 0; b < 3; b++) {
          const double g0 = k[b * tap + j], g1 = k[(3 + b) * tap + j], g2 = k[(6 + b) * tap + j];
          t[0][b] = g0;
          t[1][b] = 0.5 * (g0 + g1 + g2);
          t[2][b] = 0.5 * (g0 - g1 + g2);
          t[3][b] = g2;
        }
        // U = t G^T (columns).
        for (int i = 0; i < 4; i++) {
          o[(i * 4 + 0) * xis + j] = (float)t[i][0];
          o[(i * 4 + 1) * xis + j] = (float)(0.5 * (t[i][0] + t[i][1] + t[i][2]));
          o[(i * 4 + 2) * xis + j] = (float)(0.5 * (t[i][0] - t[i][1] + t[i][2]));
          o[(i * 4 + 3) * xis + j] = (float)t[i][2];
        }
      }
    }
}

// The packed U of the whole filter into up (zero past CO in the last panel); returns it 64-byte aligned.
const float* transformFilter(const ConvGeom& g, const float* w, int NR, AlignedVector<float>& up) {
  const int npan = (g.CO + NR - 1) / NR;
  up.assign((size_t)XI * npan * g.C * NR, 0.f);
  float* const u = up.data();
  parallelFor(g.C, 16, [&](long c0, long c1) { filterRows(g, w, NR, c0, c1, u); });
  return u;
}

// Floats from one tile's 16 transformed rows (of n floats each) to the next tile's: 16*n plus one
// cache line, so the micro-kernel's MR rows of one position, a tile apart, fall in different L1 sets
// (16*n floats is a multiple of 4 KB for n = 64: MR rows in one 8-way set would evict each other).
long tileStride(int n) { return 16L * n + 16; }

// The transforms, per tile and vectorised over the channels. They are templates on the channel
// count: with FIXED_C > 0 (the common 16, 32, 64) the 16 rows' offsets k*C are constants, so each
// loop needs one base pointer per operand instead of 16 (which spill from the registers and cost
// about a third of the transform time); FIXED_C = 0 takes the count at run time.

// One channel's V = B^T d B from its 4x4 input tile d[a][b] (pixel b of row a): xi = 4*i + j goes to
// v[xi*C + c]. Inlined into both loops below, so its little arrays live in registers.
inline __attribute__((always_inline)) void transformInput(const float (&d)[4][4], int C, int c, float* __restrict v) {
  // B^T d: row combinations.
  float s[4][4];
  for (int j = 0; j < 4; j++) {
    s[0][j] = d[0][j] - d[2][j];
    s[1][j] = d[1][j] + d[2][j];
    s[2][j] = d[2][j] - d[1][j];
    s[3][j] = d[1][j] - d[3][j];
  }
  // (B^T d) B: the same on the columns.
  for (int i = 0; i < 4; i++) {
    v[(i * 4 + 0) * C + c] = s[i][0] - s[i][2];
    v[(i * 4 + 1) * C + c] = s[i][1] + s[i][2];
    v[(i * 4 + 2) * C + c] = s[i][2] - s[i][1];
    v[(i * 4 + 3) * C + c] = s[i][1] - s[i][3];
  }
}

// One tile's V over channels [0, C): pixel b of input row a is d[a*4 + b] (pixels outside the image
// point at zeros).
template <int FIXED_C>
inline __attribute__((always_inline)) void inputTile(const float* const* d, int Crt, float* __restrict v) {
  const int C = FIXED_C > 0 ? FIXED_C : Crt;
#pragma GCC ivdep
  for (int c = 0; c < C; c++) {
    float t[4][4];
    for (int a = 0; a < 4; a++)
      for (int b = 0; b < 4; b++) t[a][b] = d[a * 4 + b][c];
    transformInput(t, C, c, v);
  }
}

// The same for a tile wholly inside the image: row a's pixels are row[a] + b*C (4 pointers).
template <int FIXED_C>
inline __attribute__((always_inline)) void inputTileInside(const float* const* row, int Crt, float* __restrict v) {
  const int C = FIXED_C > 0 ? FIXED_C : Crt;
  const float* __restrict r0 = row[0];
  const float* __restrict r1 = row[1];
  const float* __restrict r2 = row[2];
  const float* __restrict r3 = row[3];
#pragma GCC ivdep
  for (int c = 0; c < C; c++) {
    float t[4][4];
    for (int b = 0; b < 4; b++) {
      t[0][b] = r0[b * C + c];
      t[1][b] = r1[b * C + c];
      t[2][b] = r2[b * C + c];
      t[3][b] = r3[b * C + c];
    }
    transformInput(t, C, c, v);
  }
}

// V for tiles [t0, t0 + nt): tile i's 16 rows at V + i*tileStride(C). `zeros`: C floats.
template <int FIXED_C>
inline __attribute__((always_inline)) void inputTiles(const ConvGeom& g, const TileGrid& grid, const float* x,
                                                      const float* zeros, long t0, int nt, float* V) {
  const int C = FIXED_C > 0 ? FIXED_C : g.C;
  const long ts = tileStride(C);
  for (int i = 0; i < nt; i++) {
    const TileGrid::Origin org = grid.origin(t0 + i);
    const int ih0 = org.oh0 - g.padT, iw0 = org.ow0 - g.padL;
    const float* xn = x + org.n * g.H * g.W * (long)C;
    {
      // The pixels tile i + kAhead adds to what its left neighbour read (its right two columns),
      // fetched now: the input comes from memory or L3, and a tile's loads otherwise wait for it.
      const TileGrid::Origin pf = grid.origin(std::min(grid.count - 1, t0 + i + kAhead));
      const float* pn = x + pf.n * g.H * g.W * (long)C;
      const int pw = std::min(g.W - 1, std::max(0, pf.ow0 - g.padL + 2));
      for (int a = 0; a < 4; a++) {
        const int ph = std::min(g.H - 1, std::max(0, pf.oh0 - g.padT + a));
        const char* p0 = reinterpret_cast<const char*>(pn + ((long)ph * g.W + pw) * C);
        const long bytes = (long)std::min(2, g.W - pw) * C * (long)sizeof(float);
        for (long o = 0; o < bytes; o += 64) __builtin_prefetch(p0 + o, 0, 3);
      }
    }
    if (ih0 >= 0 && ih0 + 4 <= g.H && iw0 >= 0 && iw0 + 4 <= g.W) {
      const float* row[4];
      for (int a = 0; a < 4; a++) row[a] = xn + ((long)(ih0 + a) * g.W + iw0) * C;
      inputTileInside<FIXED_C>(row, C, V + i * ts);
      continue;
    }
    const float* d[16];
    for (int a = 0; a < 4; a++)
      for (int b = 0; b < 4; b++) {
        const int ih = ih0 + a, iw = iw0 + b;
        const bool in = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W;
        d[a * 4 + b] = in ? xn + ((long)ih * g.W + iw) * C : zeros;
      }
    inputTile<FIXED_C>(d, C, V + i * ts);
  }
}

DS_CLONES void transformInput(const ConvGeom& g, const TileGrid& grid, const float* x, const float* zeros, long t0,
                              int nt, float* V) {
  // One instantiation per common channel count (compile-time offsets); written out, not through a
  // lambda, whose body would not be compiled for this clone's instruction set.
  switch (g.C) {
    case 16: return inputTiles<16>(g, grid, x, zeros, t0, nt, V);
    case 32: return inputTiles<32>(g, grid, x, zeros, t0, nt, V);
    case 64: return inputTiles<64>(g, grid, x, zeros, t0, nt, V);
    default: return inputTiles<0>(g, grid, x, zeros, t0, nt, V);
  }
}

// Y = A^T M A for tiles [t0, t0 + nt): tile i's 16 rows M[i*tileStride(CO) + xi*CO + co] -> y.
// Outputs past the image edge (partial tiles) go to `sink` (CO floats) instead.
template <int FIXED_C>
inline __attribute__((always_inline)) void outputTiles(const ConvGeom& g, const TileGrid& grid, const float* M,
                                                       long t0, int nt, float* y, float* sink) {
  const int CO = FIXED_C > 0 ? FIXED_C : g.CO;
  const long ts = tileStride(CO);
  for (int i = 0; i < nt; i++) {
    float* op[4];
    tileOutputs(g, grid, t0 + i, y, sink, op);
    // Restrict-qualified (the loop vectorises only without aliasing between them and m).
    float* __restrict o0 = op[0];
    float* __restrict o1 = op[1];
    float* __restrict o2 = op[2];
    float* __restrict o3 = op[3];
    const float* __restrict m = M + i * ts;
#pragma GCC ivdep
    for (int co = 0; co < CO; co++) {
      // A^T M: row combinations.
      float s[2][4];
      for (int j = 0; j < 4; j++) {
        const float m0 = m[j * CO + co], m1 = m[(4 + j) * CO + co], m2 = m[(8 + j) * CO + co], m3 = m[(12 + j) * CO + co];
        s[0][j] = m0 + m1 + m2;
        s[1][j] = m1 - m2 - m3;
      }
      // (A^T M) A: the same on the columns.
      o0[co] = s[0][0] + s[0][1] + s[0][2];
      o1[co] = s[0][1] - s[0][2] - s[0][3];
      o2[co] = s[1][0] + s[1][1] + s[1][2];
      o3[co] = s[1][1] - s[1][2] - s[1][3];
    }
  }
}

DS_CLONES void transformOutput(const ConvGeom& g, const TileGrid& grid, const float* M, long t0, int nt, float* y,
                               float* sink) {
  // One instantiation per common channel count (compile-time offsets); written out, not through a
  // lambda, whose body would not be compiled for this clone's instruction set.
  switch (g.CO) {
    case 16: return outputTiles<16>(g, grid, M, t0, nt, y, sink);
    case 32: return outputTiles<32>(g, grid, M, t0, nt, y, sink);
    case 64: return outputTiles<64>(g, grid, M, t0, nt, y, sink);
    default: return outputTiles<0>(g, grid, M, t0, nt, y, sink);
  }
}

// The filter gradient's dY side, Z = A dY A^T (4x4) per tile and output channel, for tiles
// [t0, t0 + nt): tile i's 16 rows at Z + i*tileStride(CO), xi = 4*i + j at Z[xi*CO + co]. A is the
// transpose of A^T above, so row combinations (p, q) -> (p, p + q, p - q, -q). Outputs past the image
// edge (partial tiles) read `zeros` (CO floats): they received no gradient.
template <int FIXED_C>
inline __attribute__((always_inline)) void gradTiles(const ConvGeom& g, const TileGrid& grid, const float* dy,
                                                     const float* zeros, long t0, int nt, float* Z) {
  const int CO = FIXED_C > 0 ? FIXED_C : g.CO;
  const long ts = tileStride(CO);
  for (int i = 0; i < nt; i++) {
    const float* dp[4];
    tileOutputs(g, grid, t0 + i, dy, zeros, dp);
    const float* __restrict d0 = dp[0];
    const float* __restrict d1 = dp[1];
    const float* __restrict d2 = dp[2];
    const float* __restrict d3 = dp[3];
    float* __restrict z = Z + i * ts;
#pragma GCC ivdep
    for (int co = 0; co < CO; co++) {
      const float a = d0[co], b = d1[co], c = d2[co], e = d3[co];
      // A dY: rows (a, b), (a + c, b + e), (a - c, b - e), (-c, -e); then each row times A^T.
      const float p[4] = {a, a + c, a - c, -c}, q[4] = {b, b + e, b - e, -e};
      for (int k = 0; k < 4; k++) {
        z[(k * 4 + 0) * CO + co] = p[k];
        z[(k * 4 + 1) * CO + co] = p[k] + q[k];
        z[(k * 4 + 2) * CO + co] = p[k] - q[k];
        z[(k * 4 + 3) * CO + co] = -q[k];
      }
    }
  }
}

DS_CLONES void transformGrad(const ConvGeom& g, const TileGrid& grid, const float* dy, const float* zeros, long t0,
                             int nt, float* Z) {
  // One instantiation per common channel count (compile-time offsets); written out, not through a
  // lambda, whose body would not be compiled for this clone's instruction set.
  switch (g.CO) {
    case 16: return gradTiles<16>(g, grid, dy, zeros, t0, nt, Z);
    case 32: return gradTiles<32>(g, grid, dy, zeros, t0, nt, Z);
    case 64: return gradTiles<64>(g, grid, dy, zeros, t0, nt, Z);
    default: return gradTiles<0>(g, grid, dy, zeros, t0, nt, Z);
  }
}

// Tiles per block: V and M of a block (16 * T * (C + CO) floats) within about L2_BUDGET bytes,
// a multiple of MR, at least one panel. (Measured flat: budgets of 192 KB to 900 KB, T = 24 to 144,
// gave the same times within the noise on the four cifar-resnet / mnist shapes.)
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

// Channel thresholds, measured against the GEMM paths (avx512, 1 thread, 3x3 same, N = 64 of 32x32
// unless noted): C = 4 -> 32: 0.63x (C < 8 runs the direct few-channel kernel); C = 8 -> 32: 1.0-1.1x,
// and 1.05-1.3x for N = 256 of 14x14 -> 16; C = 12 -> 32: 1.19x; C = 16 -> 16 / 32: 1.37x; C = 32 -> 8:
// 1.53x, -> 12: 1.46x (the micro-kernel pads a few output channels to its NR either way).
constexpr int MIN_C = 12, MIN_CO = 8;
bool winogradApplies(const ConvGeom& g) {
  return g.KH == 3 && g.KW == 3 && g.sh == 1 && g.sw == 1 && g.dh == 1 && g.dw == 1 && g.C >= MIN_C && g.CO >= MIN_CO &&
         g.OH >= 2 && g.OW >= 2;
}

void conv2dWinograd(const ConvGeom& g, const float* x, const float* w, float* y) {
  const UKernel& uk = activeKernel();
  const int MR = uk.mr, NR = uk.nr, C = g.C, CO = g.CO;
  const int npan = (CO + NR - 1) / NR;
  AlignedVector<float> up;
  const float* const upk = transformFilter(g, w, NR, up);
  const TileGrid grid(g);
  const int T = blockTiles(g, MR);
  const long vts = tileStride(C), mts = tileStride(CO);
  const long blocks = (grid.count + T - 1) / T;
  const std::vector<float> zeros((size_t)std::max(C, CO), 0.f);
  std::atomic<long> next{0};
  int P = (int)std::min<long>(poolSize(), blocks);
  if (2.0 * grid.count * XI * C * CO < 2e6) P = 1;
  parallel(P, [&](int) {
    // Per-thread block buffers, kept across calls (the pool's threads persist).
    // 64-byte aligned: the blocks' zmm loads and stores never straddle two cache lines.
    static thread_local AlignedVector<float> Vbuf, Mbuf;
    static thread_local std::vector<float> sink;
    if (Vbuf.size() < (size_t)(T * vts)) Vbuf.resize((size_t)(T * vts));
    if (Mbuf.size() < (size_t)(T * mts)) Mbuf.resize((size_t)(T * mts));
    float* const V = Vbuf.data();
    float* const M = Mbuf.data();
    if (sink.size() < (size_t)CO) sink.resize((size_t)CO);
    std::vector<const float*> rows(MR);
    for (long b; (b = next.fetch_add(1)) < blocks;) {
      const long t0 = b * T;
      const int nt = (int)std::min<long>(T, grid.count - t0);
      transformInput(g, grid, x, zeros.data(), t0, nt, V);
      // M_xi = V_xi U_xi: MR tiles x NR output channels per micro-kernel call, C in KC chunks.
      for (int xi = 0; xi < XI; xi++) {
        const float* vx = V + xi * C;
        float* mx = M + xi * CO;
        for (int p = 0; p < npan; p++) {
          const int nr = std::min(NR, CO - p * NR);
          const float* bp = upk + ((size_t)xi * npan + p) * C * NR;
          for (int i0 = 0; i0 < nt; i0 += MR) {
            const int mr = std::min(MR, nt - i0);
            for (int c0 = 0; c0 < C; c0 += KC) {
              const int kc = std::min(KC, C - c0);
              for (int r = 0; r < MR; r++) rows[r] = r < mr ? vx + (i0 + r) * vts + c0 : zeros.data();
              uk.ind(kc, rows.data(), bp + (size_t)c0 * NR, mx + i0 * mts + p * NR, mts, mr, nr, c0 > 0);
            }
          }
        }
      }
      transformOutput(g, grid, M, t0, nt, y, sink.data());
    }
  });
}

// The filter gradient on the same tiles: the forward is Y = A^T [U ⊙ V] A with U = G g G^T, so
// dL/dU = V ⊙ (A dY A^T) and dL/dg = G^T (dL/dU) G. Summed over tiles, for each position xi,
// D_xi [CO, C] = Z_xi^T V_xi is one GEMM with the tiles as K (16 of them: 4 multiply-adds per tile and
// channel pair against the direct form's 9 per output pixel, i.e. 2.25x fewer flops), and
// dW[kh, kw, c, co] = sum_ij G[i][kh] G[j][kw] D_(4i+j)[co, c] (in double, rounded once). Each thread
// sums a fixed share of the tiles into its own D; the shares are added in thread order.
void conv2dBackpropFilterWinograd(const ConvGeom& g, const float* x, const float* dy, float* dw) {
  const UKernel& uk = activeKernel();
  // Rows of the micro-tile are output channels, as in the GEMM filter gradient (conv.cc).
  const bool eight = uk.mr > 8 && g.CO % 8 == 0 && g.CO % uk.mr != 0;
  const UKernelRowsFn rowsFn = eight ? uk.rows8 : uk.rows;
  const int MR = eight ? 8 : uk.mr, NR = uk.nr, C = g.C, CO = g.CO;
  const int apan = (CO + MR - 1) / MR, bpan = (C + NR - 1) / NR;
  const TileGrid grid(g);
  const int T = blockTiles(g, MR);
  const long vts = tileStride(C), zts = tileStride(CO);
  const long blocks = (grid.count + T - 1) / T;
  const std::vector<float> zeros((size_t)std::max(C, CO), 0.f);
  int P = (int)std::min<long>(poolSize(), blocks);
  if (2.0 * grid.count * XI * C * CO < 2e6) P = 1;
  const long dsize = (long)XI * CO * C;
  std::vector<AlignedVector<float>> part((size_t)P);
  parallel(P, [&](int t) {
    part[t].assign((size_t)dsize, 0.f);
    float* D = part[t].data();
    // The micro-kernel reads whole MR / NR panels: room for a partial last panel past the last row.
    AlignedVector<float> V((size_t)(T * vts + NR)), Z((size_t)(T * zts + MR));
    std::vector<const float*> arow((size_t)KC), brow((size_t)KC);
    for (long b = blocks * t / P; b < blocks * (t + 1) / P; b++) {
      const long t0 = b * T;
      const int nt = (int)std::min<long>(T, grid.count - t0);
      transformInput(g, grid, x, zeros.data(), t0, nt, V.data());
      transformGrad(g, grid, dy, zeros.data(), t0, nt, Z.data());
      for (int xi = 0; xi < XI; xi++) {
        float* dx = D + (long)xi * CO * C;
        for (int k0 = 0; k0 < nt; k0 += KC) {
          const int kc = std::min(KC, nt - k0);
          for (int qb = 0; qb < bpan; qb++) {
            for (int k = 0; k < kc; k++) brow[k] = V.data() + (k0 + k) * vts + xi * C + qb * NR;
            for (int qa = 0; qa < apan; qa++) {
              for (int k = 0; k < kc; k++) arow[k] = Z.data() + (k0 + k) * zts + xi * CO + qa * MR;
              rowsFn(kc, arow.data(), brow.data(), dx + (long)qa * MR * C + qb * NR, C, std::min(MR, CO - qa * MR),
                     std::min(NR, C - qb * NR), 1);
            }
          }
        }
      }
    }
  });
  static const double Gm[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};
  parallelFor((long)CO * C, 256, [&](long b, long e) {
    for (long q = b; q < e; q++) {
      const long co = q / C, c = q % C;
      double d[XI];
      for (int xi = 0; xi < XI; xi++) {
        float s = 0.f;
        for (int t = 0; t < P; t++) s += part[t][((long)xi * CO + co) * C + c];
        d[xi] = s;
      }
      for (int kh = 0; kh < 3; kh++)
        for (int kw = 0; kw < 3; kw++) {
          double acc = 0;
          for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) acc += Gm[i][kh] * Gm[j][kw] * d[i * 4 + j];
          dw[((long)(kh * 3 + kw) * C + c) * CO + co] = (float)acc;
        }
    }
  });
}

}  // namespace deepspike
