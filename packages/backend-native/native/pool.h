// A small persistent thread pool: parallel(n, fn) runs fn(t) for t in [0, n) on the pool's
// threads (the caller is thread 0) and returns when all are done. Sized to the cores, or to
// DEEPSPIKE_THREADS.
#pragma once
#include <functional>

namespace deepspike {

int poolSize();
void setPoolSize(int n);
void parallel(int n, const std::function<void(int)>& fn);
// Runs fn(begin, end) on contiguous chunks of [0, total) across the pool when total >= grain*2.
void parallelFor(long total, long grain, const std::function<void(long, long)>& fn);

}  // namespace deepspike
