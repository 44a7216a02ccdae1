// Node-API binding of the few MPI calls data-parallel training needs (OpenMPI 4.1 / any MPI-3):
// init, rank/size, in-place all-reduce (sum/max/min) of float32/float64 arrays, broadcast, barrier,
// abort, finalize. Every call is blocking and runs on the JS thread.
//
// Node loads addons with dlopen(RTLD_LOCAL), so libmpi's symbols are not visible to the MCA
// plugins OpenMPI dlopens during MPI_Init (mca_*.so fail with "undefined symbol: ompi_..."):
// init() first re-opens libmpi with RTLD_GLOBAL, which promotes the already loaded library.
#include <dlfcn.h>
#include <cstdio>
#include <mpi.h>
#include <napi.h>

#include <chrono>
#include <string>
#include <thread>

namespace {

bool initialised = false;

void requireInit(const Napi::Env& env) {
  if (!initialised) throw Napi::Error::New(env, "@deepspike/distributed: MPI is not initialised; call init() first");
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string lib = "default";
  const char* names[] = {"libmpi.so.40", "libmpi.so.12", "libmpi.so"};
  for (const char* n : names) {
    if (dlopen(n, RTLD_NOW | RTLD_GLOBAL | RTLD_NOLOAD) || dlopen(n, RTLD_NOW | RTLD_GLOBAL)) {
      lib = n;
      break;
    }
  }
  int already = 0;
  MPI_Initialized(&already);
  if (!already) {
    int rc = MPI_Init(nullptr, nullptr);
    if (rc != MPI_SUCCESS) throw Napi::Error::New(env, "@deepspike/distributed: MPI_Init failed with code " + std::to_string(rc));
  }
  initialised = true;
  int rank = 0, size = 1, len = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  char version[MPI_MAX_LIBRARY_VERSION_STRING];
  MPI_Get_library_version(version, &len);
  std::string v(version, (size_t)len);
  size_t nl = v.find_first_of("\r\n,");
  if (nl != std::string::npos) v = v.substr(0, nl);
  Napi::Object o = Napi::Object::New(env);
  o.Set("rank", rank);
  o.Set("size", size);
  o.Set("library", v);
  o.Set("loaded", lib);
  return o;
}

MPI_Op opOf(const Napi::Env& env, const std::string& op) {
  if (op == "sum") return MPI_SUM;
  if (op == "max") return MPI_MAX;
  if (op == "min") return MPI_MIN;
  throw Napi::Error::New(env, "@deepspike/distributed: allreduce op got \"" + op + "\"; expected sum, max or min");
}

// The MPI datatype and element count of a Float32Array / Float64Array / Uint8Array.
void viewOf(const Napi::Value& v, void** data, int* count, MPI_Datatype* type) {
  if (!v.IsTypedArray()) throw Napi::TypeError::New(v.Env(), "@deepspike/distributed: expected a typed array");
  Napi::TypedArray t = v.As<Napi::TypedArray>();
  switch (t.TypedArrayType()) {
    case napi_float32_array:
      *data = v.As<Napi::Float32Array>().Data();
      *type = MPI_FLOAT;
      break;
    case napi_float64_array:
      *data = v.As<Napi::Float64Array>().Data();
      *type = MPI_DOUBLE;
      break;
    case napi_uint8_array:
      *data = v.As<Napi::Uint8Array>().Data();
      *type = MPI_BYTE;
      break;
    default:
      throw Napi::TypeError::New(v.Env(), "@deepspike/distributed: expected a Float32Array, Float64Array or Uint8Array");
  }
  *count = (int)t.ElementLength();
}

// allreduce(buf, op, timeoutSeconds): blocking MPI_Allreduce, or with a timeout > 0 an
// MPI_Iallreduce polled until it completes; past the timeout it prints which rank gave up waiting
// and aborts the job (a rank that hangs without dying would otherwise hold every other rank).
void Allreduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  requireInit(env);
  void* data;
  int count;
  MPI_Datatype type;
  viewOf(info[0], &data, &count, &type);
  MPI_Op op = opOf(env, info[1].As<Napi::String>().Utf8Value());
  double timeout = info.Length() > 2 && info[2].IsNumber() ? info[2].As<Napi::Number>().DoubleValue() : 0.0;
  if (count <= 0) return;
  if (timeout <= 0) {
    MPI_Allreduce(MPI_IN_PLACE, data, count, type, op, MPI_COMM_WORLD);
    return;
  }
  MPI_Request req;
  MPI_Iallreduce(MPI_IN_PLACE, data, count, type, op, MPI_COMM_WORLD, &req);
  const double t0 = MPI_Wtime();
  int done = 0;
  for (long spins = 0;; spins++) {
    MPI_Test(&req, &done, MPI_STATUS_IGNORE);
    if (done) return;
    if (MPI_Wtime() - t0 > timeout) {
      int rank = 0;
      MPI_Comm_rank(MPI_COMM_WORLD, &rank);
      fprintf(stderr,
              "deepspike (rank %d): an all-reduce waited %.0f s (DEEPSPIKE_COLLECTIVE_TIMEOUT) for the other ranks, got no answer; "
              "expected every rank to reach it. Another rank hangs or is gone: aborting the job.\n",
              rank, timeout);
      fflush(stderr);
      MPI_Abort(MPI_COMM_WORLD, 3);
    }
    // Spin for the first microseconds (small all-reduces answer at once), then yield the core.
    if (spins > 2000) std::this_thread::sleep_for(std::chrono::microseconds(50));
  }
}

void Bcast(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  requireInit(env);
  void* data;
  int count;
  MPI_Datatype type;
  viewOf(info[0], &data, &count, &type);
  if (count > 0) MPI_Bcast(data, count, type, info[1].As<Napi::Number>().Int32Value(), MPI_COMM_WORLD);
}

void Barrier(const Napi::CallbackInfo& info) {
  requireInit(info.Env());
  MPI_Barrier(MPI_COMM_WORLD);
}

void Abort(const Napi::CallbackInfo& info) {
  int code = info.Length() > 0 ? info[0].As<Napi::Number>().Int32Value() : 1;
  if (initialised) MPI_Abort(MPI_COMM_WORLD, code);
}

void Finalize(const Napi::CallbackInfo&) {
  int done = 0;
  MPI_Finalized(&done);
  if (initialised && !done) MPI_Finalize();
}

Napi::Value Wtime(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), MPI_Wtime()); }

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  exports.Set("init", Napi::Function::New(env, Init));
  exports.Set("allreduce", Napi::Function::New(env, Allreduce));
  exports.Set("bcast", Napi::Function::New(env, Bcast));
  exports.Set("barrier", Napi::Function::New(env, Barrier));
  exports.Set("abort", Napi::Function::New(env, Abort));
  exports.Set("finalize", Napi::Function::New(env, Finalize));
  exports.Set("wtime", Napi::Function::New(env, Wtime));
  return exports;
}

}  // namespace

NODE_API_MODULE(deepspike_mpi, Module)
