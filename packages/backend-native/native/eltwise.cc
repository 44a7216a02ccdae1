// Element-wise and reduction kernels on float32 arrays, split across the pool.
#include <cmath>
#include <cstring>
#include <vector>

#include "ops.h"
#include "pool.h"

namespace deepspike {

namespace {
template <class F>
void apply2(long n, const float* a, long na, const float* b, long nb, float* out, const F& f) {
  parallelFor(n, 32768, [&](long s, long e) {
    if (na == n && nb == n) {
      for (long i = s; i < e; i++) out[i] = f(a[i], b[i]);
    } else if (nb == 1) {
      float bv = b[0];
      for (long i = s; i < e; i++) out[i] = f(a[i], bv);
    } else if (na == 1) {
      float av = a[0];
      for (long i = s; i < e; i++) out[i] = f(av, b[i]);
    } else if (na == n) {  // b repeats with period nb
      for (long i = s; i < e;) {
        long j = i % nb, len = std::min(e - i, nb - j);
        for (long k = 0; k < len; k++) out[i + k] = f(a[i + k], b[j + k]);
        i += len;
      }
    } else {  // a repeats with period na
      for (long i = s; i < e;) {
        long j = i % na, len = std::min(e - i, na - j);
        for (long k = 0; k < len; k++) out[i + k] = f(a[j + k], b[i + k]);
        i += len;
      }
    }
  });
}

template <class F>
void apply1(long n, const float* x, float* out, const F& f) {
  parallelFor(n, 32768, [&](long s, long e) {
    for (long i = s; i < e; i++) out[i] = f(x[i]);
  });
}
}  // namespace

void binary(int op, long n, const float* a, long na, const float* b, long nb, float* out) {
  switch (op) {
    case 0: apply2(n, a, na, b, nb, out, [](float x, float y) { return x + y; }); break;
    case 1: apply2(n, a, na, b, nb, out, [](float x, float y) { return x - y; }); break;
    case 2: apply2(n, a, na, b, nb, out, [](float x, float y) { return x * y; }); break;
    case 3: apply2(n, a, na, b, nb, out, [](float x, float y) { return x / y; }); break;
    case 4: apply2(n, a, na, b, nb, out, [](float x, float y) { return (x > y || std::isnan(x)) ? x : y; }); break;
    default: apply2(n, a, na, b, nb, out, [](float x, float y) { return (x < y || std::isnan(x)) ? x : y; }); break;
  }
}

void unary(int op, long n, const float* x, float* out) {
  switch (op) {
    case 0: apply1(n, x, out, [](float v) { return v < 0.f ? 0.f : v; }); break;
    case 1: apply1(n, x, out, [](float v) { return -v; }); break;
    case 2: apply1(n, x, out, [](float v) { return std::exp(v); }); break;
    case 3: apply1(n, x, out, [](float v) { return std::log(v); }); break;
    case 4: apply1(n, x, out, [](float v) { return std::sqrt(v); }); break;
    case 5: apply1(n, x, out, [](float v) { return v * v; }); break;
    case 6: apply1(n, x, out, [](float v) { return std::fabs(v); }); break;
    case 7: apply1(n, x, out, [](float v) { return 1.f / (1.f + std::exp(-v)); }); break;
    default: apply1(n, x, out, [](float v) { return v >= 0.f ? 1.f : 0.f; }); break;
  }
}

void sumInner(long outer, long inner, const float* x, float* out) {
  parallelFor(outer, std::max(1L, 65536 / std::max(1L, inner)), [&](long b, long e) {
    for (long o = b; o < e; o++) {
      const float* r = x + o * inner;
      double s = 0;
      float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      long i = 0;
      for (; i + 8 <= inner; i += 8)
        for (int k = 0; k < 8; k++) acc[k] += r[i + k];
      for (; i < inner; i++) s += r[i];
      for (int k = 0; k < 8; k++) s += acc[k];
      out[o] = (float)s;
    }
  });
}

void sumOuter(long outer, long inner, const float* x, float* out) {
  int P = std::max(1, std::min<int>(poolSize(), (int)(outer * inner / 65536)));
  P = std::min<long>(P, std::max(1L, outer));
  std::vector<std::vector<float>> part(P, std::vector<float>(inner, 0.f));
  parallel(P, [&](int t) {
    long b = outer * t / P, e = outer * (t + 1) / P;
    float* p = part[t].data();
    for (long o = b; o < e; o++) {
      const float* r = x + o * inner;
      for (long i = 0; i < inner; i++) p[i] += r[i];
    }
  });
  for (long i = 0; i < inner; i++) {
    float s = 0.f;
    for (int t = 0; t < P; t++) s += part[t][i];
    out[i] = s;
  }
}

double density(long n, const float* x, bool* binary) {
  long nz = 0;
  bool bin = true;
  for (long i = 0; i < n; i++) {
    float v = x[i];
    if (v != 0.f) {
      nz++;
      if (v != 1.f) {
        bin = false;  // not spikes: the caller only needs the density of binary inputs
        break;
      }
    }
  }
  *binary = bin;
  return n ? (double)nz / n : 0.0;
}

// C[M, N] = S[M, K] * W[K, N] for a binary S: add the rows of W for each active input.
void spikeMatmul(long M, long N, long K, const float* s, const float* w, float* C) {
  parallelFor(M, 4, [&](long b, long e) {
    for (long i = b; i < e; i++) {
      float* c = C + i * N;
      std::memset(c, 0, sizeof(float) * N);
      const float* si = s + i * K;
      for (long k = 0; k < K; k++)
        if (si[k] != 0.f) {
          const float* wk = w + k * N;
          for (long j = 0; j < N; j++) c[j] += wk[j];
        }
    }
  });
}

}  // namespace deepspike
