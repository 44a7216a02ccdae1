// The native operations the addon exposes (all float32, NHWC, row-major, caller-allocated outputs).
#pragma once
#include <algorithm>
#include <vector>
#include <cstdint>
#include <functional>

namespace deepspike {

// C[M, N] (ldc) (+)= A(M, K) B(K, N) with A(i,k) = a[i*ars + k*acs], B(k,j) = b[k*brs + j*bcs].
void gemm(long M, long N, long K, const float* a, long ars, long acs, const float* b, long brs, long bcs,
          float* C, long ldc, bool accumulate);
// gemm without accumulation for a narrow C (N <= 16, many rows) or a short K (K <= 16, N >= 64):
// packed narrow operand, one pass over the long one (gemm_narrow.cc). False (nothing done) otherwise.
bool gemmNarrow(long M, long N, long K, const float* a, long ars, long acs, const float* b, long brs, long bcs,
                float* C, long ldc);

// Geometry of a 2-D convolution, NHWC input [N, H, W, C], filter [KH, KW, C, CO], output
// [N, OH, OW, CO]; padT/padL may be negative (used by the backward-as-forward trick).
struct ConvGeom {
  int N, H, W, C, KH, KW, OH, OW, CO, sh, sw, dh, dw, padT, padL;
};

// Scratch ints a spike conv kernel (conv_spikes.inc) needs per thread: one image's active-channel lists
// (per pixel, or per channel for the column-list filter gradient).
inline long convSpikesScratch(const ConvGeom& g) { return (long)g.H * g.W * (g.C + 1) + 1 + g.C; }

// The zero-padded dY image of the column-list spike filter gradient (stride 1): output rows
// [thMin, thMin + PH) and columns [twMin, twMin + PW) hold every output pixel any input pixel reaches
// through any tap, so the kernel needs no bounds checks (rows outside [0, OH) x [0, OW) stay zero).
struct DwPad {
  int thMin, twMin, PH, PW;
};
inline DwPad convSpikesDwPadGeom(const ConvGeom& g) {
  const int thMin = std::min(0, g.padT - (g.KH - 1) * g.dh), thMax = std::max(g.OH - 1, g.H - 1 + g.padT);
  const int twMin = std::min(0, g.padL - (g.KW - 1) * g.dw), twMax = std::max(g.OW - 1, g.W - 1 + g.padL);
  return {thMin, twMin, thMax - thMin + 1, twMax - twMin + 1};
}
// Floats of that padded image.
inline long convSpikesDwPad(const ConvGeom& g) {
  const DwPad d = convSpikesDwPadGeom(g);
  return (long)d.PH * d.PW * g.CO;
}

// Where the window of output pixel i = (n, oh, ow) starts: its image n and the input row/column of
// its top-left tap (may be negative: padding).
struct WindowOrigin {
  long n;
  int ih, iw;
};
inline WindowOrigin windowOrigin(const ConvGeom& g, long i) {
  const int ow = (int)(i % g.OW);
  const long q = i / g.OW;
  return {q / g.OH, (int)(q % g.OH) * g.sh - g.padT, ow * g.sw - g.padL};
}

// Which algorithm a dense conv2d() / conv2dBackpropInput() call ran: the GEMM paths (indirect,
// im2col, few-channel direct, col2im) or Winograd F(2x2, 3x3) (winograd.h). Profiling reports it.
enum class ConvAlgo { Gemm, Winograd };
ConvAlgo conv2d(const ConvGeom& g, const float* x, const float* w, float* y);
ConvAlgo conv2dBackpropInput(const ConvGeom& g, const float* dy, const float* w, float* dx);
// Forward for binary (spike) inputs: accumulates filter rows for the active inputs.
// false (y unspecified) when x holds a value other than 0 and 1.
bool conv2dSpikes(const ConvGeom& g, const float* x, const float* w, float* y);
ConvAlgo conv2dBackpropFilter(const ConvGeom& g, const float* x, const float* dy, float* dw);
// The filter gradient for binary x (spikes): accumulates dY rows for the active inputs; false (dw
// unspecified) when x holds a value other than 0 and 1.
bool conv2dBackpropFilterSpikes(const ConvGeom& g, const float* x, const float* dy, float* dw);

struct PoolGeom {
  int N, H, W, C, OH, OW, fh, fw, sh, sw, padT, padL;
};
void avgPool(const PoolGeom& g, const float* x, float* y);
void avgPoolGrad(const PoolGeom& g, const float* dy, float* dx);
void maxPool(const PoolGeom& g, const float* x, float* y);
void maxPoolGrad(const PoolGeom& g, const float* x, const float* dy, float* dx);

// Fused STBP LIF over T steps of `n` neurons each (see spiking.cc).
void lifForward(long T, long n, const float* x, float vth, float tau, float* spikes, float* u);
void lifBackward(long T, long n, const float* dS, const float* dU, const float* u, const float* s, const float* sg,
                 float tau, bool detach, float* dx);
// Surrogate derivative families: 0 rect(a), 1 sigmoid(alpha), 2 atan(alpha), 3 piecewise-quadratic(alpha).
void surrogateGrad(long n, const float* x, int family, double p, float* out);
// lifBackward with sg = g'(u - vth) of a known family computed on the fly.
void lifBackwardSurrogate(long T, long n, const float* dS, const float* dU, const float* u, const float* s,
                          float vth, int family, double p, float tau, bool detach, float* dx);

// Sums buf[0, len) element-wise over every data-parallel replica, in place (SyncBatchNorm: the tdBN
// kernels call it with their per-channel partial sums). Empty: statistics of the local batch only.
using ReplicaSum = std::function<void(double* buf, long len)>;

// tdBN over x [M, C]: y = lambda*alpha*vth*(x-mean)*invStd + beta.
void tdbnForward(long M, long C, const float* x, const float* lambda, const float* beta, float alpha, float vth,
                 float eps, float* y, float* mean, float* invStd, const ReplicaSum& sync = {});
void tdbnBackward(long M, long C, const float* dy, const float* x, const float* mean, const float* invStd,
                  const float* lambda, float alpha, float vth, float* dx, float* dLambda, float* dBeta,
                  const ReplicaSum& sync = {});

// An average pool of k x k windows at stride k that tiles the neurons' images [N, H, W] (H and W
// multiples of k), fused after the LIF: the kernels then take and give the pooled spikes instead of
// the spikes (n = N*H*W).
struct SpikePool {
  int N, H, W, k;
};

// tdBN fused into the LIF it feeds, x [T, n, C] (see tdbn_lif.cc): spikes = LIF(tdBN(x) [+ r]); r may be null.
// gain is tdBN's alpha*Vth (its scale is lambda*gain*invStd), vth/tau the neuron's. With `pool`,
// `spikes` receives avgPool(spikes) [T, N, H/k, W/k, C] instead (the same values as the pool kernel's).
// `repeated`: x is [n, C], one step standing for itself repeated over the T steps (a direct
// encoding's first conv computed once); r must then be null. The statistics are x's, which are the
// repeated tensor's.
void tdbnLifForward(long T, long n, long C, const float* x, const float* r, const float* lambda, const float* beta,
                    double gain, float eps, float vth, float tau, float* spikes, float* mean, float* invStd,
                    const ReplicaSum& sync = {}, const SpikePool* pool = nullptr, bool repeated = false);
// Its gradient from dSpikes (with `pool`: from the pooled spikes' gradient, expanded as AvgPoolGrad
// would): dx, dLambda, dBeta, and g, the gradient of the neuron input (= of r; a scratch array of x's
// size when there is no r). `repeated` (x [n, C] standing for T copies, r null): dx is [n, C], the
// sum over T of the repeated input's gradient, and g is not used (may be null).
void tdbnLifBackward(long T, long n, long C, const float* dS, const float* x, const float* r, const float* mean,
                     const float* invStd, const float* lambda, const float* beta, double gain, float vth, float tau,
                     int family, double p, bool detach, float* dx, float* g, float* dLambda, float* dBeta,
                     const ReplicaSum& sync = {}, const SpikePool* pool = nullptr, bool repeated = false);

// Element-wise binary ops with numpy broadcasting of b over a's trailing axes (b repeats with period nb,
// or a scalar). op: 0 add, 1 sub, 2 mul, 3 div, 4 max, 5 min.
void binary(int op, long n, const float* a, long na, const float* b, long nb, float* out);
// Unary ops: 0 relu, 1 neg, 2 exp, 3 log, 4 sqrt, 5 square, 6 abs, 7 sigmoid, 8 step(>=0 → 1).
void unary(int op, long n, const float* x, float* out);
// Sum over the inner axis of [outer, inner] (sumInner) or over the outer axis (sumOuter).
void sumInner(long outer, long inner, const float* x, float* out);
void sumOuter(long outer, long inner, const float* x, float* out);
// Spike-aware product: C[M, N] = S[M, K] W[K, N] for binary S, skipping zeros.
void spikeMatmul(long M, long N, long K, const float* s, const float* w, float* C);
double density(long n, const float* x, bool* binary);

}  // namespace deepspike

namespace deepspike {
// The measured fp32 FMA peak (peak.cc): GFLOP/s of all pool threads together and of the best one,
// for the instruction set the micro-kernels use.
struct FmaPeak {
  const char* simd;
  int threads;
  double gflops;
  double gflopsPerThread;
};
FmaPeak fmaPeak(double seconds);

// STREAM-triad memory bandwidth over the pool's threads (native/peak.cc), GB/s.
struct MemBandwidth {
  int threads;
  double gbps;
};
MemBandwidth memBandwidth(double seconds);

// Event-driven synaptic delivery (native/events.cc): input events (flat HWC index, value) scattered
// through a conv (weights [kh, kw, cin/groups, cout]) or a linear layer (weights [in, out]) into
// float64 accumulators; returns the synaptic additions performed.
struct EventConvGeom { int h, w, cin, ho, wo, cout, kh, kw, sh, sw, ph, pw, dh, dw, groups; };
long eventConv(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, double* acc, const int* decode = nullptr);
// The same into float32 accumulators: exact, and so equal to eventConv's sums, when the weights and
// values are integers and no partial sum can exceed 2^24 in magnitude (the caller checks; event_sim.cc).
// decode: eventConvDecode's (ci, ix, iy) of every input element, so no event needs a division.
long eventConvExact(const EventConvGeom& g, long count, const int* idx, const double* val, const float* w, float* acc, const int* decode);
std::vector<int> eventConvDecode(const EventConvGeom& g);
long eventLinear(long outFeatures, long count, const int* idx, const double* val, const float* w, double* acc);

}  // namespace deepspike
