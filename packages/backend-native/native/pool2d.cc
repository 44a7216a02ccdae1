// 2-D average and max pooling (NHWC) and their gradients, matching tf.js's cpu kernels:
// the average divides by the number of in-bounds pixels, its gradient by fh*fw (as tf.js does);
// the max gradient goes to the first maximum in scan order.
#include <cstring>
#include <algorithm>
#include <limits>

#include "ops.h"
#include "pool.h"
#include "simd_clones.h"

namespace deepspike {

namespace {
inline int floorDiv(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

template <class F>
void eachOutput(const PoolGeom& g, const F& f) {
  parallelFor((long)g.N * g.OH, 8, [&](long b, long e) {
    for (long r = b; r < e; r++) {
      long n = r / g.OH;
      int oh = (int)(r % g.OH);
      int h0 = oh * g.sh - g.padT;
      int hs = std::max(0, h0), he = std::min(g.H, h0 + g.fh);
      for (int ow = 0; ow < g.OW; ow++) {
        int w0 = ow * g.sw - g.padL;
        int ws = std::max(0, w0), we = std::min(g.W, w0 + g.fw);
        f(n, oh, ow, hs, he, ws, we);
      }
    }
  });
}

// Output rows [r0, r1) (r = n*OH + oh) of the average pool: per window 0 + its in-bounds values in
// scan order, divided by their count (tf.js's AvgPool); a named function so it is compiled per
// instruction set (the channel loops vectorise).
DS_CLONES void avgPoolRows(const PoolGeom& g, const float* __restrict x, float* __restrict y, long r0, long r1) {
  for (long r = r0; r < r1; r++) {
    const long n = r / g.OH;
    const int oh = (int)(r % g.OH);
    const int h0 = oh * g.sh - g.padT;
    const int hs = std::max(0, h0), he = std::min(g.H, h0 + g.fh);
    for (int ow = 0; ow < g.OW; ow++) {
      const int w0 = ow * g.sw - g.padL;
      const int ws = std::max(0, w0), we = std::min(g.W, w0 + g.fw);
      float* o = y + ((n * g.OH + oh) * g.OW + ow) * g.C;
      for (int c = 0; c < g.C; c++) o[c] = 0.f;
      for (int h = hs; h < he; h++)
        for (int w = ws; w < we; w++) {
          const float* s = x + ((n * g.H + h) * g.W + w) * g.C;
          for (int c = 0; c < g.C; c++) o[c] += s[c];
        }
      const float cnt = (float)((he - hs) * (we - ws));
      for (int c = 0; c < g.C; c++) o[c] = o[c] / cnt;
    }
  }
}

// Input rows [r0, r1) (r = n*H + h) of the average pool's gradient, in gather form: each dx pixel
// sums the outputs whose window [o*s - pad, o*s - pad + f) covers it, times 1/(fh*fw).
DS_CLONES void avgPoolGradRows(const PoolGeom& g, const float* __restrict dy, float* __restrict dx, long r0, long r1) {
  const float mult = 1.f / (float)(g.fh * g.fw);
  for (long r = r0; r < r1; r++) {
    const long n = r / g.H;
    const int h = (int)(r % g.H);
    const int ohs = std::max(0, floorDiv(h + g.padT - g.fh, g.sh) + 1), ohe = std::min(g.OH - 1, floorDiv(h + g.padT, g.sh));
    for (int w = 0; w < g.W; w++) {
      float* o = dx + ((n * g.H + h) * g.W + w) * g.C;
      for (int c = 0; c < g.C; c++) o[c] = 0.f;
      const int ows = std::max(0, floorDiv(w + g.padL - g.fw, g.sw) + 1), owe = std::min(g.OW - 1, floorDiv(w + g.padL, g.sw));
      for (int oh = ohs; oh <= ohe; oh++)
        for (int ow = ows; ow <= owe; ow++) {
          const float* s = dy + ((n * g.OH + oh) * g.OW + ow) * g.C;
          for (int c = 0; c < g.C; c++) o[c] += s[c];
        }
      for (int c = 0; c < g.C; c++) o[c] *= mult;
    }
  }
}

// avgPoolGradRows for windows that tile the input without overlap or padding (stride = filter, pad
// 0): each dx pixel takes the one dy it falls in, (0 + dy)*mult as the general form computes it (0
// beyond the last whole window), with no window arithmetic per pixel; input rows [r0, r1) (r = n*H + h).
DS_CLONES void avgPoolGradTiledRows(const PoolGeom& g, const float* __restrict dy, float* __restrict dx, long r0, long r1) {
  const float mult = 1.f / (float)(g.fh * g.fw);
  for (long r = r0; r < r1; r++) {
    const long n = r / g.H;
    const int oh = (int)(r % g.H) / g.fh;
    float* row = dx + r * (long)g.W * g.C;
    for (int w = 0; w < g.W; w++) {
      float* o = row + (long)w * g.C;
      const int ow = w / g.fw;
      if (oh >= g.OH || ow >= g.OW) {
        for (int c = 0; c < g.C; c++) o[c] = 0.f;
        continue;
      }
      const float* s = dy + ((n * g.OH + oh) * g.OW + ow) * g.C;
      for (int c = 0; c < g.C; c++) o[c] = (0.f + s[c]) * mult;
    }
  }
}
}  // namespace

void avgPool(const PoolGeom& g, const float* x, float* y) {
  parallelFor((long)g.N * g.OH, 8, [&](long b, long e) { avgPoolRows(g, x, y, b, e); });
}

void avgPoolGrad(const PoolGeom& g, const float* dy, float* dx) {
  const bool tiled = g.sh == g.fh && g.sw == g.fw && g.padT == 0 && g.padL == 0;
  if (!tiled) {
    parallelFor((long)g.N * g.H, 8, [&](long b, long e) { avgPoolGradRows(g, dy, dx, b, e); });
    return;
  }
  parallelFor((long)g.N * g.H, 8, [&](long b, long e) { avgPoolGradTiledRows(g, dy, dx, b, e); });
}

void maxPool(const PoolGeom& g, const float* x, float* y) {
  eachOutput(g, [&](long n, int oh, int ow, int hs, int he, int ws, int we) {
    float* o = y + ((n * g.OH + oh) * g.OW + ow) * g.C;
    for (int c = 0; c < g.C; c++) o[c] = -std::numeric_limits<float>::infinity();
    for (int h = hs; h < he; h++)
      for (int w = ws; w < we; w++) {
        const float* s = x + ((n * g.H + h) * g.W + w) * g.C;
        for (int c = 0; c < g.C; c++) o[c] = s[c] > o[c] ? s[c] : o[c];
      }
  });
}

void maxPoolGrad(const PoolGeom& g, const float* x, const float* dy, float* dx) {
  long img = (long)g.H * g.W * g.C;
  std::memset(dx, 0, sizeof(float) * img * g.N);
  // Parallel over images (scatter targets of different images are disjoint).
  parallelFor(g.N, 1, [&](long b, long e) {
    for (long n = b; n < e; n++)
      for (int oh = 0; oh < g.OH; oh++) {
        int h0 = oh * g.sh - g.padT;
        int hs = std::max(0, h0), he = std::min(g.H, h0 + g.fh);
        for (int ow = 0; ow < g.OW; ow++) {
          int w0 = ow * g.sw - g.padL;
          int ws = std::max(0, w0), we = std::min(g.W, w0 + g.fw);
          const float* d = dy + ((n * g.OH + oh) * g.OW + ow) * g.C;
          for (int c = 0; c < g.C; c++) {
            float best = -std::numeric_limits<float>::infinity();
            long at = -1;
            for (int h = hs; h < he; h++)
              for (int w = ws; w < we; w++) {
                long idx = ((n * g.H + h) * g.W + w) * g.C + c;
                if (x[idx] > best) { best = x[idx]; at = idx; }
              }
            if (at >= 0) dx[at] += d[c];
          }
        }
      }
  });
}

}  // namespace deepspike
