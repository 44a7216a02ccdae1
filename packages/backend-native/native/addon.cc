// Node-API bindings. Every function takes float32 typed arrays (the event kernels also int32 indices
// and float64 accumulators; outputs allocated by the caller) and plain numbers; shapes are validated
// on the TypeScript side (src/kernels).
#include <napi.h>
#include <cstdlib>
#include <cstring>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include "event_sim.h"
#include "gemm.h"
#include "ops.h"
#include "pool.h"
#include "winograd.h"

namespace ds = deepspike;

namespace {

float* F(const Napi::Value& v) {
  if (v.IsNull() || v.IsUndefined()) return nullptr;
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
    throw Napi::TypeError::New(v.Env(), "deepspike-native: expected a Float32Array");
  return v.As<Napi::Float32Array>().Data();
}
double* F64(const Napi::Value& v) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw Napi::TypeError::New(v.Env(), "deepspike-native: expected a Float64Array");
  return v.As<Napi::Float64Array>().Data();
}
int* I32(const Napi::Value& v) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_int32_array)
    throw Napi::TypeError::New(v.Env(), "deepspike-native: expected an Int32Array");
  return v.As<Napi::Int32Array>().Data();
}
long L(const Napi::Value& v) { return (long)v.As<Napi::Number>().Int64Value(); }
int I(const Napi::Value& v) { return v.As<Napi::Number>().Int32Value(); }
float R(const Napi::Value& v) { return v.As<Napi::Number>().FloatValue(); }
double D(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
bool B(const Napi::Value& v) { return v.ToBoolean().Value(); }

// An optional trailing JS function (buf: Float64Array) => void that sums buf over every replica in
// place (called synchronously on this thread, between the kernel's sweeps); anything else: local.
ds::ReplicaSum replicaSum(const Napi::CallbackInfo& a, size_t i) {
  if (a.Length() <= i || !a[i].IsFunction()) return {};
  Napi::Function fn = a[i].As<Napi::Function>();
  Napi::Env env = a.Env();
  return [fn, env](double* buf, long len) {
    Napi::Float64Array arr = Napi::Float64Array::New(env, (size_t)len);
    std::memcpy(arr.Data(), buf, sizeof(double) * (size_t)len);
    fn.Call({arr});
    std::memcpy(buf, arr.Data(), sizeof(double) * (size_t)len);
  };
}

ds::ConvGeom convGeom(const Napi::Value& v) {
  Napi::Array a = v.As<Napi::Array>();
  int g[15];
  for (uint32_t i = 0; i < 15; i++) g[i] = a.Get(i).As<Napi::Number>().Int32Value();
  return {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14]};
}
ds::PoolGeom poolGeom(const Napi::Value& v) {
  Napi::Array a = v.As<Napi::Array>();
  int g[12];
  for (uint32_t i = 0; i < 12; i++) g[i] = a.Get(i).As<Napi::Number>().Int32Value();
  return {g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11]};
}

Napi::Value Info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  o.Set("simd", ds::activeKernel().name);
  o.Set("mr", ds::activeKernel().mr);
  o.Set("nr", ds::activeKernel().nr);
  o.Set("threads", ds::poolSize());
#if defined(__aarch64__)
  o.Set("arch", "arm64");
#elif defined(__x86_64__)
  o.Set("arch", "x64");
#else
  o.Set("arch", "other");
#endif
  return o;
}

Napi::Value SetSimd(const Napi::CallbackInfo& info) {
  std::string mode = info[0].As<Napi::String>().Utf8Value();
  return Napi::String::New(info.Env(), ds::setSimd(mode.c_str()));
}

Napi::Value SetThreads(const Napi::CallbackInfo& info) {
  ds::setPoolSize(I(info[0]));
  return Napi::Number::New(info.Env(), ds::poolSize());
}

void Gemm(const Napi::CallbackInfo& a) {
  ds::gemm(L(a[0]), L(a[1]), L(a[2]), F(a[3]), L(a[4]), L(a[5]), F(a[6]), L(a[7]), L(a[8]), F(a[9]), L(a[10]), B(a[11]));
}
// The dense convolutions return the algorithm they ran: "winograd" or "gemm".
Napi::Value AlgoName(Napi::Env env, ds::ConvAlgo algo) {
  return Napi::String::New(env, algo == ds::ConvAlgo::Winograd ? "winograd" : "gemm");
}
Napi::Value Conv2d(const Napi::CallbackInfo& a) {
  return AlgoName(a.Env(), ds::conv2d(convGeom(a[0]), F(a[1]), F(a[2]), F(a[3])));
}
Napi::Value Conv2dBackpropInput(const Napi::CallbackInfo& a) {
  return AlgoName(a.Env(), ds::conv2dBackpropInput(convGeom(a[0]), F(a[1]), F(a[2]), F(a[3])));
}
// convAlgo(geom) -> the algorithm conv2d would run on this geometry: "winograd" or "gemm".
Napi::Value ConvAlgoOf(const Napi::CallbackInfo& a) {
  const ds::ConvGeom g = convGeom(a[0]);
  return AlgoName(a.Env(), ds::winogradEnabled() && ds::winogradApplies(g) ? ds::ConvAlgo::Winograd : ds::ConvAlgo::Gemm);
}
// setWinograd(on?: boolean) -> whether the Winograd path is now enabled (no argument: just reads it).
Napi::Value SetWinograd(const Napi::CallbackInfo& a) {
  if (a.Length() > 0 && !a[0].IsUndefined()) ds::setWinograd(B(a[0]));
  return Napi::Boolean::New(a.Env(), ds::winogradEnabled());
}
Napi::Value Conv2dBackpropFilter(const Napi::CallbackInfo& a) {
  return AlgoName(a.Env(), ds::conv2dBackpropFilter(convGeom(a[0]), F(a[1]), F(a[2]), F(a[3])));
}
Napi::Value Conv2dSpikes(const Napi::CallbackInfo& a) {
  return Napi::Boolean::New(a.Env(), ds::conv2dSpikes(convGeom(a[0]), F(a[1]), F(a[2]), F(a[3])));
}
Napi::Value Conv2dBackpropFilterSpikes(const Napi::CallbackInfo& a) {
  return Napi::Boolean::New(a.Env(), ds::conv2dBackpropFilterSpikes(convGeom(a[0]), F(a[1]), F(a[2]), F(a[3])));
}
void AvgPool(const Napi::CallbackInfo& a) { ds::avgPool(poolGeom(a[0]), F(a[1]), F(a[2])); }
void AvgPoolGrad(const Napi::CallbackInfo& a) { ds::avgPoolGrad(poolGeom(a[0]), F(a[1]), F(a[2])); }
void MaxPool(const Napi::CallbackInfo& a) { ds::maxPool(poolGeom(a[0]), F(a[1]), F(a[2])); }
void MaxPoolGrad(const Napi::CallbackInfo& a) { ds::maxPoolGrad(poolGeom(a[0]), F(a[1]), F(a[2]), F(a[3])); }
void Lif(const Napi::CallbackInfo& a) { ds::lifForward(L(a[0]), L(a[1]), F(a[2]), R(a[3]), R(a[4]), F(a[5]), F(a[6])); }
void LifGrad(const Napi::CallbackInfo& a) {
  ds::lifBackward(L(a[0]), L(a[1]), F(a[2]), F(a[3]), F(a[4]), F(a[5]), F(a[6]), R(a[7]), B(a[8]), F(a[9]));
}
void LifGradSurrogate(const Napi::CallbackInfo& a) {
  ds::lifBackwardSurrogate(L(a[0]), L(a[1]), F(a[2]), F(a[3]), F(a[4]), F(a[5]), R(a[6]), I(a[7]),
                           a[8].As<Napi::Number>().DoubleValue(), R(a[9]), B(a[10]), F(a[11]));
}
void SurrogateGrad(const Napi::CallbackInfo& a) { ds::surrogateGrad(L(a[0]), F(a[1]), I(a[2]), a[3].As<Napi::Number>().DoubleValue(), F(a[4])); }
void Tdbn(const Napi::CallbackInfo& a) {
  ds::tdbnForward(L(a[0]), L(a[1]), F(a[2]), F(a[3]), F(a[4]), R(a[5]), R(a[6]), R(a[7]), F(a[8]), F(a[9]), F(a[10]), replicaSum(a, 11));
}
void TdbnGrad(const Napi::CallbackInfo& a) {
  ds::tdbnBackward(L(a[0]), L(a[1]), F(a[2]), F(a[3]), F(a[4]), F(a[5]), F(a[6]), R(a[7]), R(a[8]), F(a[9]), F(a[10]),
                   F(a[11]), replicaSum(a, 12));
}
// An optional trailing [N, H, W, k] (the fused average pool; anything else: none), checked in TypeScript.
bool spikePool(const Napi::CallbackInfo& a, size_t i, ds::SpikePool& out) {
  if (a.Length() <= i || !a[i].IsArray()) return false;
  Napi::Array v = a[i].As<Napi::Array>();
  out = {I(v.Get(0u)), I(v.Get(1u)), I(v.Get(2u)), I(v.Get(3u))};
  return true;
}
void TdbnLif(const Napi::CallbackInfo& a) {
  ds::SpikePool pool;
  const bool pooled = spikePool(a, 15, pool);
  ds::tdbnLifForward(L(a[0]), L(a[1]), L(a[2]), F(a[3]), F(a[4]), F(a[5]), F(a[6]), D(a[7]), R(a[8]), R(a[9]), R(a[10]),
                     F(a[11]), F(a[12]), F(a[13]), replicaSum(a, 14), pooled ? &pool : nullptr, a.Length() > 16 && B(a[16]));
}
void TdbnLifGrad(const Napi::CallbackInfo& a) {
  ds::SpikePool pool;
  const bool pooled = spikePool(a, 21, pool);
  ds::tdbnLifBackward(L(a[0]), L(a[1]), L(a[2]), F(a[3]), F(a[4]), F(a[5]), F(a[6]), F(a[7]), F(a[8]), F(a[9]), D(a[10]),
                      R(a[11]), R(a[12]), I(a[13]), D(a[14]), B(a[15]), F(a[16]), F(a[17]),
                      F(a[18]), F(a[19]), replicaSum(a, 20), pooled ? &pool : nullptr, a.Length() > 22 && B(a[22]));
}
void Binary(const Napi::CallbackInfo& a) { ds::binary(I(a[0]), L(a[1]), F(a[2]), L(a[3]), F(a[4]), L(a[5]), F(a[6])); }
void Unary(const Napi::CallbackInfo& a) { ds::unary(I(a[0]), L(a[1]), F(a[2]), F(a[3])); }
void SumInner(const Napi::CallbackInfo& a) { ds::sumInner(L(a[0]), L(a[1]), F(a[2]), F(a[3])); }
void SumOuter(const Napi::CallbackInfo& a) { ds::sumOuter(L(a[0]), L(a[1]), F(a[2]), F(a[3])); }
void SpikeMatmul(const Napi::CallbackInfo& a) { ds::spikeMatmul(L(a[0]), L(a[1]), L(a[2]), F(a[3]), F(a[4]), F(a[5])); }
Napi::Value Density(const Napi::CallbackInfo& a) {
  bool bin = false;
  double d = ds::density(L(a[0]), F(a[1]), &bin);
  Napi::Array r = Napi::Array::New(a.Env(), 2);
  r.Set(0u, d);
  r.Set(1u, bin);
  return r;
}

namespace {
// The kernels' scratch (packed panels, per-thread partial sums) is tens of MB per call. glibc
// serves such blocks with mmap and unmaps them on free, so every call page-faults them in again
// (expensive under virtualisation). Serving them from the heap and keeping freed memory reuses it.
// DEEPSPIKE_MALLOC_DEFAULTS=1 keeps glibc's defaults.
void keepLargeBlocks() {
#if defined(__GLIBC__)
  const char* keep = std::getenv("DEEPSPIKE_MALLOC_DEFAULTS");
  if (keep && keep[0] == '1') return;
  mallopt(M_MMAP_THRESHOLD, 256 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 512 * 1024 * 1024);
#endif
}
}  // namespace

Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
  const ds::FmaPeak p = ds::fmaPeak(D(info[0]));
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("simd", p.simd);
  o.Set("threads", p.threads);
  o.Set("gflops", p.gflops);
  o.Set("gflopsPerThread", p.gflopsPerThread);
  return o;
}

// eventConv(geom[15], count, idx Int32Array, val Float64Array, w Float32Array, acc Float64Array) -> ops
Napi::Value EventConv(const Napi::CallbackInfo& a) {
  Napi::Array ga = a[0].As<Napi::Array>();
  int g[15];
  for (uint32_t i = 0; i < 15; i++) g[i] = ga.Get(i).As<Napi::Number>().Int32Value();
  const ds::EventConvGeom geom{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[10], g[11], g[12], g[13], g[14]};
  return Napi::Number::New(a.Env(), (double)ds::eventConv(geom, L(a[1]), I32(a[2]), F64(a[3]), F(a[4]), F64(a[5])));
}

// eventLinear(outFeatures, count, idx Int32Array, val Float64Array, w Float32Array, acc Float64Array) -> ops
Napi::Value EventLinear(const Napi::CallbackInfo& a) {
  return Napi::Number::New(a.Env(), (double)ds::eventLinear(L(a[0]), L(a[1]), I32(a[2]), F64(a[3]), F(a[4]), F64(a[5])));
}

// A typed array's values, its type checked by `typed` (F, F64 or I32); null or undefined give none
// when `optional`, else typed's TypeError.
template <class T, class Vec = std::vector<T>>
Vec copyOf(const Napi::Value& v, T* (*typed)(const Napi::Value&), bool optional = true) {
  if (optional && (v.IsNull() || v.IsUndefined())) return {};
  const T* p = typed(v);
  return Vec(p, p + v.As<Napi::TypedArray>().ElementLength());
}

// eventPlanCompile(nodes: EventPlanNode[], smax) -> handle: the plan copied into C++ and checked.
Napi::Value EventPlanCompile(const Napi::CallbackInfo& a) {
  Napi::Env env = a.Env();
  Napi::Array nodes = a[0].As<Napi::Array>();
  auto* plan = new ds::EventPlan();
  plan->smax = D(a[1]);
  try {
    for (uint32_t k = 0; k < nodes.Length(); k++) {
      Napi::Object o = nodes.Get(k).As<Napi::Object>();
      ds::PlanNode n;
      n.op = (ds::PlanOp)I(o.Get("op"));
      n.inSize = L(o.Get("inSize"));
      n.outSize = L(o.Get("outSize"));
      Napi::Array ins = o.Get("inputs").As<Napi::Array>();
      for (uint32_t j = 0; j < ins.Length(); j++) {
        Napi::Object e = ins.Get(j).As<Napi::Object>();
        n.inputs.push_back({I(e.Get("from")), B(e.Get("back")), copyOf(e.Get("gain"), F64)});
      }
      n.geom = copyOf(o.Get("geom"), I32, false);
      n.weight = copyOf<float, ds::AlignedVector<float>>(o.Get("weight"), F);
      n.bias = copyOf(o.Get("bias"), F);
      n.params = copyOf(o.Get("params"), F64);
      plan->nodes.push_back(std::move(n));
    }
  } catch (...) {
    delete plan;
    throw;
  }
  const std::string bad = ds::prepareEventPlan(*plan);
  if (!bad.empty()) {
    delete plan;
    throw Napi::RangeError::New(env, "deepspike-native event plan: " + bad);
  }
  return Napi::External<ds::EventPlan>::New(env, plan, [](Napi::Env, ds::EventPlan* p) { delete p; });
}

// eventPlanRun(handle, inputs: (Float32Array | Float64Array | null)[][], samples, steps, outputSums, spikeCounts,
// stats): inputs[j][s * steps + t] is input node j's step t of sample s (null: zeros); sizes checked in TypeScript.
Napi::Value EventPlanRun(const Napi::CallbackInfo& a) {
  const ds::EventPlan* plan = a[0].As<Napi::External<ds::EventPlan>>().Data();
  Napi::Array ins = a[1].As<Napi::Array>();
  std::vector<std::vector<ds::StepInput>> inputs(ins.Length());
  for (uint32_t j = 0; j < ins.Length(); j++) {
    Napi::Array steps = ins.Get(j).As<Napi::Array>();
    inputs[j].resize(steps.Length());
    for (uint32_t q = 0; q < steps.Length(); q++) {
      Napi::Value v = steps.Get(q);
      if (v.IsNull() || v.IsUndefined()) inputs[j][q] = {nullptr, false};
      else if (v.IsTypedArray() && v.As<Napi::TypedArray>().TypedArrayType() == napi_float32_array) inputs[j][q] = {F(v), true};
      else inputs[j][q] = {F64(v), false};
    }
  }
  ds::runEventPlan(*plan, inputs, L(a[2]), L(a[3]), {F64(a[4]), F64(a[5]), F64(a[6])});
  return a.Env().Undefined();
}

// alignSkip(buffer: ArrayBuffer, align): bytes from the buffer's first byte to the next multiple of
// `align` (a power of two) in memory; BufferPool uses it to start its arrays on cache-line boundaries.
Napi::Value AlignSkip(const Napi::CallbackInfo& a) {
  if (!a[0].IsArrayBuffer()) throw Napi::TypeError::New(a.Env(), "deepspike-native: expected an ArrayBuffer");
  const uintptr_t p = reinterpret_cast<uintptr_t>(a[0].As<Napi::ArrayBuffer>().Data());
  const uintptr_t al = (uintptr_t)L(a[1]);
  if (al == 0 || (al & (al - 1)) != 0) throw Napi::RangeError::New(a.Env(), "deepspike-native: alignment must be a power of two");
  return Napi::Number::New(a.Env(), (double)((al - (p & (al - 1))) & (al - 1)));
}

Napi::Value MemBandwidth(const Napi::CallbackInfo& info) {
  const ds::MemBandwidth m = ds::memBandwidth(D(info[0]));
  Napi::Object o = Napi::Object::New(info.Env());
  o.Set("threads", m.threads);
  o.Set("gbps", m.gbps);
  return o;
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  keepLargeBlocks();
#define FN(name, f) exports.Set(name, Napi::Function::New(env, f, name))
  FN("info", Info);
  FN("setSimd", SetSimd);
  FN("setThreads", SetThreads);
  FN("setWinograd", SetWinograd);
  FN("convAlgo", ConvAlgoOf);
  FN("gemm", Gemm);
  FN("conv2d", Conv2d);
  FN("conv2dBackpropInput", Conv2dBackpropInput);
  FN("conv2dBackpropFilter", Conv2dBackpropFilter);
  FN("conv2dSpikes", Conv2dSpikes);
  FN("conv2dBackpropFilterSpikes", Conv2dBackpropFilterSpikes);
  FN("avgPool", AvgPool);
  FN("avgPoolGrad", AvgPoolGrad);
  FN("maxPool", MaxPool);
  FN("maxPoolGrad", MaxPoolGrad);
  FN("lif", Lif);
  FN("lifGrad", LifGrad);
  FN("surrogateGrad", SurrogateGrad);
  FN("lifGradSurrogate", LifGradSurrogate);
  FN("tdbn", Tdbn);
  FN("tdbnGrad", TdbnGrad);
  FN("tdbnLif", TdbnLif);
  FN("tdbnLifGrad", TdbnLifGrad);
  FN("binary", Binary);
  FN("unary", Unary);
  FN("sumInner", SumInner);
  FN("sumOuter", SumOuter);
  FN("spikeMatmul", SpikeMatmul);
  FN("density", Density);
  FN("fmaPeak", FmaPeak);
  FN("memBandwidth", MemBandwidth);
  FN("alignSkip", AlignSkip);
  FN("eventConv", EventConv);
  FN("eventLinear", EventLinear);
  FN("eventPlanCompile", EventPlanCompile);
  FN("eventPlanRun", EventPlanRun);
#undef FN
  return exports;
}

}  // namespace

NODE_API_MODULE(deepspike_native, Init)
