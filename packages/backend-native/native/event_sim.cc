// The event-mode integer simulator of a whole plan, sample by sample (see event_sim.h). A node's value
// in a step is a view: events (indices ascending where the TypeScript simulator's are, values) or a
// dense array. Views point into per-node storage of the step's parity, so a back edge reads last
// step's value intact while this step's is written.
#include "event_sim.h"
#include "aligned.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif
#include <string>

#include "pool.h"

namespace deepspike {

namespace {

struct Val {
  bool present = false;
  bool ev = false;
  const int* idx = nullptr;
  const double* val = nullptr;
  long n = 0;
  const double* dense = nullptr;
};

// A node's storage for one parity: its own output (events or dense) and scratch for its inputs.
struct Slot {
  std::vector<int> idx, tidx;
  std::vector<double> val, tval, gval, x;
  AlignedVector<double> dense;
  AlignedVector<float> facc;
};

struct Events {
  const int* idx;
  const double* val;
  long n;
};

// The non-zeros of d[0, size) as events (ascending indices). Branch-free: every element is written
// at the next free place and the place advances only past a non-zero, so a sparse, irregular input
// costs no mispredicted branches; idx and val need room for `size` (writes land below i + 1).
template <class T>
long toEvents(const T* d, long size, int* idx, double* val) {
  long n = 0;
  for (long i = 0; i < size; i++) {
    const T x = d[i];
    idx[n] = (int)i;
    val[n] = (double)x;
    n += x != 0;
  }
  return n;
}

// A value as events: itself, or its non-zeros gathered into the slot's scratch.
Events eventsOf(const Val& v, long size, Slot& s) {
  if (v.ev) return {v.idx, v.val, v.n};
  return {s.tidx.data(), s.tval.data(), toEvents(v.dense, size, s.tidx.data(), s.tval.data())};
}

// An incoming value present this step (back edges read last step's; none at step 0).
struct In {
  const PlanEdge* e;
  const Val* v;
};

// One sample's state: per-node storage of both parities, values, membranes.
struct SampleState {
  std::vector<Slot> slot[2];
  std::vector<Val> vals[2];
  std::vector<std::vector<double>> v, syn, a;
  std::vector<In> ins;  // scratch: the node being stepped's present inputs

  explicit SampleState(const EventPlan& p) {
    const size_t n = p.nodes.size();
    v.resize(n);
    syn.resize(n);
    a.resize(n);
    for (int q = 0; q < 2; q++) {
      slot[q].resize(n);
      vals[q].assign(n, Val{});
      for (size_t k = 0; k < n; k++) {
        const PlanNode& nd = p.nodes[k];
        Slot& s = slot[q][k];
        const long io = std::max(nd.inSize, nd.outSize);
        s.idx.resize(io);
        s.val.resize(io);
        s.tidx.resize(nd.inSize);
        s.tval.resize(nd.inSize);
        s.gval.resize(nd.inSize);
        s.dense.resize(nd.outSize);
        if (nd.op == PlanOp::Conv) s.facc.resize(nd.outSize);
        s.x.resize(nd.inSize);
      }
    }
    for (size_t k = 0; k < n; k++)
      if (p.nodes[k].op == PlanOp::Population) {
        const long size = p.nodes[k].inSize;
        v[k].resize(size);
        if (p.nodes[k].geom[3]) syn[k].resize(size);
        if (p.nodes[k].geom[4]) a[k].resize(size);
      }
  }

  void reset() {
    for (int q = 0; q < 2; q++)
      for (Val& x : vals[q]) x = Val{};
    for (size_t k = 0; k < v.size(); k++) {
      std::fill(v[k].begin(), v[k].end(), 0.0);
      std::fill(syn[k].begin(), syn[k].end(), 0.0);
      std::fill(a[k].begin(), a[k].end(), 0.0);
    }
  }
};

struct Counters {
  double ops = 0, sat = 0;
};

inline double clip(double m, double smax, Counters& c) {
  if (m > smax || m < -smax) {
    c.sat++;
    return m > 0 ? smax : -smax;
  }
  return m;
}

// The uniform population's step (int-sim.ts stepUniformPopulation) for neurons [i0, n): potentials
// into v, the fired indices (ascending) into fired from `count` on; returns the new count.
long integrateUniformScalar(long i0, long n, const double* x, double* v, int* fired, long count, double decay, double gain, double drive,
                            double threshold, double reset, double smax, bool strict, bool subtract, Counters& c) {
  for (long i = i0; i < n; i++) {
    const double m = clip(std::trunc(decay * v[i]) + gain * x[i] + drive, smax, c);
    if (strict ? m > threshold : m >= threshold) {
      fired[count++] = (int)i;
      v[i] = subtract ? m - threshold : reset;
    } else {
      v[i] = m;
    }
  }
  return count;
}

#if defined(__x86_64__) && defined(__GNUC__)
// The same, 8 neurons per AVX-512 vector: the same operations in the same order (truncation is
// roundscale towards zero), so the same bits.
__attribute__((target("avx512f"))) long integrateUniform512(long n, const double* x, double* v, int* fired, double decay, double gain, double drive,
                                                            double threshold, double reset, double smax, bool strict, bool subtract, Counters& c) {
  const __m512d kd = _mm512_set1_pd(decay), kg = _mm512_set1_pd(gain), kr = _mm512_set1_pd(drive), kt = _mm512_set1_pd(threshold);
  const __m512d hi = _mm512_set1_pd(smax), lo = _mm512_set1_pd(-smax), rs = _mm512_set1_pd(reset);
  long count = 0, i = 0;
  long sat = 0;
  for (; i + 8 <= n; i += 8) {
    const __m512d t = _mm512_roundscale_pd(_mm512_mul_pd(kd, _mm512_loadu_pd(v + i)), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    const __m512d u = _mm512_add_pd(_mm512_add_pd(t, _mm512_mul_pd(kg, _mm512_loadu_pd(x + i))), kr);
    const __mmask8 above = _mm512_cmp_pd_mask(u, hi, _CMP_GT_OQ), below = _mm512_cmp_pd_mask(u, lo, _CMP_LT_OQ);
    sat += __builtin_popcount((unsigned)(above | below));
    const __m512d m = _mm512_mask_blend_pd(below, _mm512_mask_blend_pd(above, u, hi), lo);
    unsigned f = strict ? _mm512_cmp_pd_mask(m, kt, _CMP_GT_OQ) : _mm512_cmp_pd_mask(m, kt, _CMP_GE_OQ);
    const __m512d after = subtract ? _mm512_sub_pd(m, kt) : rs;
    _mm512_storeu_pd(v + i, _mm512_mask_blend_pd((__mmask8)f, m, after));
    for (; f; f &= f - 1) fired[count++] = (int)(i + __builtin_ctz(f));
  }
  c.sat += (double)sat;
  return integrateUniformScalar(i, n, x, v, fired, count, decay, gain, drive, threshold, reset, smax, strict, subtract, c);
}
#endif

long integrateUniform(long n, const double* x, double* v, int* fired, double decay, double gain, double drive, double threshold, double reset,
                      double smax, bool strict, bool subtract, Counters& c) {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx512 = __builtin_cpu_supports("avx512f");
  if (avx512) return integrateUniform512(n, x, v, fired, decay, gain, drive, threshold, reset, smax, strict, subtract, c);
#endif
  return integrateUniformScalar(0, n, x, v, fired, 0, decay, gain, drive, threshold, reset, smax, strict, subtract, c);
}

// A population's step (int-sim.ts stepUniformPopulation / stepPopulation): fired indices into `fired`.
long stepPopulation(const PlanNode& nd, const double* x, double* v, double* syn, double* a, int* fired, double smax, Counters& c) {
  const long size = nd.inSize;
  const double* P = nd.params.data();
  const bool uniform = nd.geom[0], strict = nd.geom[1], subtract = nd.geom[2], synapse = nd.geom[3], adapt = nd.geom[4];
  long count = 0;
  if (uniform) return integrateUniform(size, x, v, fired, P[0], P[2 * size], P[3 * size], P[size], P[4 * size], smax, strict, subtract, c);
  const double *decay = P, *threshold = P + size, *gain = P + 2 * size, *drive = P + 3 * size, *reset = P + 4 * size;
  const double *sd = P + 5 * size, *sg = P + 6 * size, *ab = P + 7 * size, *ar = P + 8 * size;
  for (long i = 0; i < size; i++) {
    double cin = x[i];
    if (synapse) {
      syn[i] = std::trunc(sd[i] * syn[i]) + sg[i] * cin;
      cin = syn[i];
    }
    const double u = clip(std::trunc(decay[i] * v[i]) + gain[i] * cin + drive[i], smax, c);
    // a is only allocated with adaptation; without it a[t] = 0 (int-sim.ts adds that 0 too)
    const double th = threshold[i] + (adapt ? a[i] : 0.0);
    const bool fire = strict ? u > th : u >= th;
    if (fire) {
      fired[count++] = (int)i;
      v[i] = subtract ? u - th : reset[i];
    } else {
      v[i] = u;
    }
    if (adapt) a[i] = std::trunc(ar[i] * a[i]) + (fire ? ab[i] : 0);
  }
  return count;
}

// Sum pool of events (int-sim.ts scatterPool) into acc [ho, wo, c]; `targets` (tiling windows):
// poolTargets' output of each input element.
void scatterPool(const std::vector<int>& g, const std::vector<int>& targets, const Events& e, double* acc) {
  const int w = g[0], c = g[1], ho = g[2], wo = g[3], kh = g[4], kw = g[5], sh = g[6], sw = g[7], ph = g[8], pw = g[9];
  if (!targets.empty()) {
    for (long k = 0; k < e.n; k++) {
      const int o = targets[e.idx[k]];
      if (o >= 0) acc[o] = acc[o] + e.val[k];
    }
    return;
  }
  for (long k = 0; k < e.n; k++) {
    const int i = e.idx[k];
    const int ch = i % c, p = i / c;
    const int ix = p % w, iy = p / w;
    for (int ky = 0; ky < kh; ky++) {
      const int ty = iy + ph - ky;
      if (ty < 0 || ty % sh != 0 || ty / sh >= ho) continue;
      for (int kx = 0; kx < kw; kx++) {
        const int tx = ix + pw - kx;
        if (tx < 0 || tx % sw != 0 || tx / sw >= wo) continue;
        const long o = ((long)(ty / sh) * wo + tx / sw) * c + ch;
        acc[o] = acc[o] + e.val[k];
      }
    }
  }
}

// Whether a conv's delivery of these events sums exactly in float32: integer weights and values, and
// |partial sum| <= max|value| * max fan-in sum of |w| <= 2^24 (each output gets at most one event per
// input element: the simulator's events have distinct indices).
bool exactInFloat(const PlanNode& nd, const Events& ev) {
  if (!nd.integerWeights) return false;
  double vmax = 0;
  for (long j = 0; j < ev.n; j++) {
    const double v = ev.val[j];
    if (!(v == std::trunc(v))) return false;
    vmax = std::max(vmax, std::fabs(v));
  }
  return vmax * nd.fanInAbsMax <= 16777216.0;
}

// Whether the pool's windows tile its input (stride = kernel, no padding): each input lies in one window at most.
bool poolTiles(const std::vector<int>& g) { return g[6] == g[4] && g[7] == g[5] && g[8] == 0 && g[9] == 0; }

std::vector<int> poolTargets(const std::vector<int>& g, long inSize) {
  const int w = g[0], c = g[1], ho = g[2], wo = g[3], kh = g[4], kw = g[5];
  std::vector<int> t((size_t)inSize);
  for (long i = 0; i < inSize; i++) {
    const long ch = i % c, p = i / c;
    const long ox = (p % w) / kw, oy = (p / w) / kh;
    t[i] = oy >= ho || ox >= wo ? -1 : (int)((oy * wo + ox) * c + ch);
  }
  return t;
}

// One step of one node (int-sim.ts prepareIntegerSim's loop body, event mode).
void stepNode(const EventPlan& p, size_t k, SampleState& st, int q, const StepInput* input, double* outSum, double* spikes, Counters& c) {
  const PlanNode& nd = p.nodes[k];
  Slot& S = st.slot[q][k];
  Val& out = st.vals[q][k];
  out = Val{};
  out.present = true;
  if (nd.op == PlanOp::Input) {
    out.ev = true;
    out.idx = S.idx.data();
    out.val = S.val.data();
    out.n = input->data == nullptr ? 0
            : input->f32 ? toEvents(static_cast<const float*>(input->data), nd.outSize, S.idx.data(), S.val.data())
                         : toEvents(static_cast<const double*>(input->data), nd.outSize, S.idx.data(), S.val.data());
    return;
  }
  st.ins.clear();
  for (const PlanEdge& e : nd.inputs) {
    const Val& v = st.vals[e.back ? q ^ 1 : q][e.from];
    if (v.present) st.ins.push_back({&e, &v});
  }
  const In* in = st.ins.data();
  const size_t nin = st.ins.size();
  const long inSize = nd.inSize;
  auto gained = [&](const In& x, Events ev) -> Events {
    if (x.e->gain.empty()) return ev;
    for (long j = 0; j < ev.n; j++) S.gval[j] = ev.val[j] * x.e->gain[ev.idx[j]];
    return {ev.idx, S.gval.data(), ev.n};
  };
  switch (nd.op) {
    case PlanOp::Conv:
    case PlanOp::Linear: {
      double* acc = S.dense.data();
      std::fill(acc, acc + nd.outSize, 0.0);
      for (size_t j = 0; j < nin; j++) {
        const Events ev = gained(in[j], eventsOf(*in[j].v, inSize, S));
        if (nd.op == PlanOp::Conv) {
          const int* g = nd.geom.data();
          const EventConvGeom geom{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14]};
          if (exactInFloat(nd, ev)) {
            // Every partial sum is an integer of magnitude <= 2^24: float32 sums them exactly, so
            // adding the edge's total to the float64 accumulator gives the reference's value.
            float* f = S.facc.data();
            std::fill(f, f + nd.outSize, 0.f);
            c.ops += (double)eventConvExact(geom, ev.n, ev.idx, ev.val, nd.weight.data(), f, nd.decode.data());
            for (long i = 0; i < nd.outSize; i++) acc[i] = acc[i] + (double)f[i];
          } else {
            c.ops += (double)eventConv(geom, ev.n, ev.idx, ev.val, nd.weight.data(), acc, nd.decode.data());
          }
        } else {
          c.ops += (double)eventLinear(nd.geom[0], ev.n, ev.idx, ev.val, nd.weight.data(), acc);
        }
      }
      const long bl = (long)nd.bias.size();
      if (bl > 0)
        for (long i = 0; i < nd.outSize; i++) acc[i] = acc[i] + (double)nd.bias[i % bl];
      out.dense = acc;
      return;
    }
    case PlanOp::Pool:
    case PlanOp::Flatten:
    case PlanOp::Scale: {
      Events merged;
      if (nin == 1 && in[0].e->gain.empty()) {
        merged = eventsOf(*in[0].v, inSize, S);
      } else {
        double* sum = S.x.data();
        std::fill(sum, sum + inSize, 0.0);
        for (size_t j = 0; j < nin; j++) {
          const Events ev = eventsOf(*in[j].v, inSize, S);
          const std::vector<double>& gn = in[j].e->gain;
          for (long m = 0; m < ev.n; m++) {
            const int i = ev.idx[m];
            sum[i] = sum[i] + ev.val[m] * (gn.empty() ? 1.0 : gn[i]);
          }
        }
        merged = {S.tidx.data(), S.tval.data(), toEvents(sum, inSize, S.tidx.data(), S.tval.data())};
      }
      out.ev = true;
      if (nd.op == PlanOp::Pool) {
        double* acc = S.dense.data();
        std::fill(acc, acc + nd.outSize, 0.0);
        scatterPool(nd.geom, nd.decode, merged, acc);
        out.idx = S.idx.data();
        out.val = S.val.data();
        out.n = toEvents(acc, nd.outSize, S.idx.data(), S.val.data());
      } else if (nd.op == PlanOp::Flatten) {
        out.n = merged.n;
        out.val = merged.val;
        out.idx = merged.idx;
        if (nd.geom[0]) {
          const int ch = nd.geom[1], hw = nd.geom[2];
          for (long m = 0; m < merged.n; m++) S.idx[m] = (merged.idx[m] % ch) * hw + merged.idx[m] / ch;
          out.idx = S.idx.data();
        }
      } else {
        for (long m = 0; m < merged.n; m++) S.val[m] = merged.val[m] * nd.params[merged.idx[m]];
        out.n = merged.n;
        out.idx = merged.idx;
        out.val = S.val.data();
      }
      return;
    }
    default:
      break;
  }
  // Population or output: the summed input current (int-sim.ts inputCurrent).
  const double* x;
  if (nin == 1 && in[0].e->gain.empty() && !in[0].v->ev) {
    x = in[0].v->dense;
  } else {
    double* xs = S.x.data();
    std::fill(xs, xs + inSize, 0.0);
    for (size_t j = 0; j < nin; j++) {
      const Val& v = *in[j].v;
      const std::vector<double>& gn = in[j].e->gain;
      if (v.ev) {
        c.ops += (double)v.n;
        for (long m = 0; m < v.n; m++) {
          const int i = v.idx[m];
          xs[i] = xs[i] + v.val[m] * (gn.empty() ? 1.0 : gn[i]);
        }
      } else if (gn.empty()) {
        for (long i = 0; i < inSize; i++) xs[i] = xs[i] + v.dense[i];
      } else {
        for (long i = 0; i < inSize; i++) xs[i] = xs[i] + v.dense[i] * gn[i];
      }
    }
    x = xs;
  }
  if (nd.op == PlanOp::Population) {
    const long count = stepPopulation(nd, x, st.v[k].data(), st.syn[k].data(), st.a[k].data(), S.idx.data(), p.smax, c);
    std::fill(S.val.begin(), S.val.begin() + count, 1.0);
    out.ev = true;
    out.idx = S.idx.data();
    out.val = S.val.data();
    out.n = count;
    *spikes += (double)count;
    return;
  }
  for (long i = 0; i < inSize; i++) outSum[i] = outSum[i] + x[i];
  out.dense = x;
}

}  // namespace

std::string checkEventPlan(const EventPlan& p) {
  for (size_t k = 0; k < p.nodes.size(); k++) {
    const PlanNode& n = p.nodes[k];
    const std::string at = "plan node " + std::to_string(k) + ": ";
    if (n.inSize < 0 || n.outSize < 0) return at + "negative size";
    for (const PlanEdge& e : n.inputs) {
      if (e.from < 0 || (size_t)e.from >= p.nodes.size() || (!e.back && (size_t)e.from >= k))
        return at + "edge from " + std::to_string(e.from) + " is not an earlier node (or a back edge)";
      if (p.nodes[e.from].outSize != n.inSize) return at + "edge from " + std::to_string(e.from) + " carries " + std::to_string(p.nodes[e.from].outSize) + " values, the node takes " + std::to_string(n.inSize);
      if (!e.gain.empty() && (long)e.gain.size() != n.inSize) return at + "gain has " + std::to_string(e.gain.size()) + " values, expected " + std::to_string(n.inSize);
    }
    const auto need = [&](bool ok, const char* what) { return ok ? std::string() : at + what; };
    std::string bad;
    switch (n.op) {
      case PlanOp::Input:
      case PlanOp::Output:
        bad = need(n.op == PlanOp::Input || n.inSize == n.outSize, "an output's sizes differ");
        break;
      case PlanOp::Conv: {
        if (n.geom.size() != 15) return at + "conv geometry needs 15 integers";
        const std::vector<int>& g = n.geom;
        bad = need(g[14] > 0 && g[2] % g[14] == 0 && g[5] % g[14] == 0 && (long)g[0] * g[1] * g[2] == n.inSize && (long)g[3] * g[4] * g[5] == n.outSize &&
                       (long)n.weight.size() == (long)g[6] * g[7] * (g[2] / g[14]) * g[5] && g[8] > 0 && g[9] > 0,
                   "conv geometry, sizes or weight do not agree");
        break;
      }
      case PlanOp::Linear:
        bad = need(n.geom.size() == 1 && n.geom[0] == n.outSize && (long)n.weight.size() == n.inSize * n.outSize, "linear weight is not [in, out]");
        break;
      case PlanOp::Population:
        bad = need(n.geom.size() == 5 && (long)n.params.size() == 9 * n.inSize && n.inSize == n.outSize, "population parameters are not 9 x size");
        break;
      case PlanOp::Pool:
        bad = need(n.geom.size() == 10 && n.geom[1] > 0 && n.geom[0] > 0 && n.geom[6] > 0 && n.geom[7] > 0 && (long)n.geom[2] * n.geom[3] * n.geom[1] == n.outSize, "pool geometry does not give its output size");
        break;
      case PlanOp::Flatten:
        bad = need(n.geom.size() == 3 && n.geom[1] > 0 && (long)n.geom[1] * n.geom[2] == n.inSize && n.inSize == n.outSize, "flatten geometry is not [reorder, c, hw]");
        break;
      case PlanOp::Scale:
        bad = need((long)n.params.size() == n.inSize && n.inSize == n.outSize, "scale has not one value per element");
        break;
      default:
        return at + "unknown operation " + std::to_string((int)n.op);
    }
    if (n.op != PlanOp::Conv && n.op != PlanOp::Linear && !n.bias.empty()) return at + "only conv and linear nodes have a bias";
    if (!bad.empty()) return bad;
  }
  return std::string();
}

std::string prepareEventPlan(EventPlan& p) {
  const std::string bad = checkEventPlan(p);
  if (!bad.empty()) return bad;
  for (PlanNode& n : p.nodes) {
    if (n.op == PlanOp::Pool && poolTiles(n.geom)) n.decode = poolTargets(n.geom, n.inSize);
    if (n.op != PlanOp::Conv) continue;
    const int* g = n.geom.data();
    n.decode = eventConvDecode({g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14]});
    const long cout = n.geom[5];
    std::vector<double> col((size_t)cout, 0.0);
    n.integerWeights = true;
    for (size_t i = 0; i < n.weight.size(); i++) {
      const double w = n.weight[i];
      if (w != std::trunc(w)) n.integerWeights = false;
      col[i % cout] += std::fabs(w);
    }
    n.fanInAbsMax = cout > 0 ? *std::max_element(col.begin(), col.end()) : 0;
  }
  return std::string();
}

void runEventPlan(const EventPlan& p, const std::vector<std::vector<StepInput>>& inputs, long samples, long steps, const EventRunOut& out) {
  long outWidth = 0, pops = 0;
  std::vector<long> outAt(p.nodes.size(), -1), popAt(p.nodes.size(), -1), inAt(p.nodes.size(), -1);
  long inputsSeen = 0;
  for (size_t k = 0; k < p.nodes.size(); k++) {
    const PlanNode& n = p.nodes[k];
    if (n.op == PlanOp::Output) outAt[k] = (outWidth += n.outSize) - n.outSize;
    if (n.op == PlanOp::Population) popAt[k] = pops++;
    if (n.op == PlanOp::Input) inAt[k] = inputsSeen++;
  }
  const int P = (int)std::min<long>(samples, poolSize());
  if ((int)p.scratch.size() < P) p.scratch.resize(P);
  parallel(P, [&](int t) {
    if (!p.scratch[t]) p.scratch[t] = std::make_shared<SampleState>(p);
    SampleState& st = *static_cast<SampleState*>(p.scratch[t].get());
    for (long s = samples * t / P; s < samples * (t + 1) / P; s++) {
      st.reset();
      Counters c;
      double* sums = out.outputSums + s * outWidth;
      double* spikes = out.spikeCounts + s * pops;
      std::fill(sums, sums + outWidth, 0.0);
      std::fill(spikes, spikes + pops, 0.0);
      for (long step = 0; step < steps; step++)
        for (size_t k = 0; k < p.nodes.size(); k++) {
          const PlanNode& n = p.nodes[k];
          const StepInput* input = n.op == PlanOp::Input ? &inputs[inAt[k]][s * steps + step] : nullptr;
          stepNode(p, k, st, (int)(step & 1), input, outAt[k] >= 0 ? sums + outAt[k] : nullptr, popAt[k] >= 0 ? spikes + popAt[k] : nullptr, c);
        }
      out.stats[2 * s] = c.ops;
      out.stats[2 * s + 1] = c.sat;
    }
  });
}

}  // namespace deepspike
