// Streaming (non-temporal) stores for outputs far larger than the caches: a block computed in cache
// is copied to its place with stores that bypass the caches, so the output's lines are not first
// read from memory (a normal store's read-for-ownership) and do not evict the inputs still in use.
// A write-only output then costs one pass over memory instead of two. SSE2 (every x86-64) 16-byte
// stores; the write-combining buffers merge them into whole lines. Elsewhere a plain copy.
#pragma once
#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace deepspike {

// dst[0, n) = src[0, n), dst streamed; ends with a store fence, so the data is globally visible
// before the caller signals another thread.
inline void streamCopy(float* dst, const float* src, long n) {
#if defined(__SSE2__)
  long i = 0;
  for (; i < n && (reinterpret_cast<std::uintptr_t>(dst + i) & 15) != 0; i++) dst[i] = src[i];
  for (; i + 16 <= n; i += 16) {
    _mm_stream_ps(dst + i, _mm_loadu_ps(src + i));
    _mm_stream_ps(dst + i + 4, _mm_loadu_ps(src + i + 4));
    _mm_stream_ps(dst + i + 8, _mm_loadu_ps(src + i + 8));
    _mm_stream_ps(dst + i + 12, _mm_loadu_ps(src + i + 12));
  }
  for (; i + 4 <= n; i += 4) _mm_stream_ps(dst + i, _mm_loadu_ps(src + i));
  for (; i < n; i++) dst[i] = src[i];
  _mm_sfence();
#else
  std::memcpy(dst, src, sizeof(float) * (size_t)n);
#endif
}

}  // namespace deepspike
