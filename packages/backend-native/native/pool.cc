#include "pool.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <vector>

namespace deepspike {
namespace {

class Pool {
 public:
  explicit Pool(int n) { resize(n); }
  ~Pool() { stop(); }

  int size() const { return size_; }

  void resize(int n) {
    stop();
    size_ = n < 1 ? 1 : n;
    quit_ = false;
    // The generation is read here, not in the thread: a job posted before a new thread starts
    // must still be seen by it.
    unsigned gen = gen_.load();
    for (int t = 1; t < size_; t++) threads_.emplace_back([this, t, gen] { loop(t, gen); });
  }

  void run(int n, const std::function<void(int)>& fn) {
    if (n <= 1 || size_ == 1) {
      for (int t = 0; t < n; t++) fn(t);
      return;
    }
    // Tasks beyond the pool size are handed out dynamically.
    std::atomic<int> next{0};
    std::function<void(int)> body = [&](int) {
      for (int t; (t = next.fetch_add(1)) < n;) fn(t);
    };
    {
      std::lock_guard<std::mutex> lk(mu_);
      job_ = &body;
      pending_.store(size_ - 1);
      gen_.fetch_add(1, std::memory_order_release);
    }
    cv_.notify_all();
    body(0);
    while (pending_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
    job_ = nullptr;
  }

 private:
  void loop(int t, unsigned seen) {
    for (;;) {
      // Spin briefly (kernels come in bursts), then sleep.
      bool got = false;
      for (int i = 0; i < 20000; i++) {
        if (gen_.load(std::memory_order_acquire) != seen || quit_.load()) { got = true; break; }
        if ((i & 63) == 63) std::this_thread::yield();
      }
      if (!got) {
        std::unique_lock<std::mutex> lk(mu_);
        cv_.wait(lk, [&] { return gen_.load() != seen || quit_.load(); });
      }
      if (quit_.load()) return;
      seen = gen_.load(std::memory_order_acquire);
      (*job_)(t);
      pending_.fetch_sub(1, std::memory_order_acq_rel);
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      quit_ = true;
    }
    cv_.notify_all();
    for (auto& th : threads_) th.join();
    threads_.clear();
  }

  int size_ = 1;
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::atomic<unsigned> gen_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> quit_{false};
  const std::function<void(int)>* job_ = nullptr;
};

int defaultSize() {
  const char* env = std::getenv("DEEPSPIKE_THREADS");
  if (env && *env) {
    int n = std::atoi(env);
    if (n >= 1) return n;
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : (int)hc;
}

Pool& pool() {
  static Pool* p = new Pool(defaultSize());  // leaked on purpose: no join at process exit
  return *p;
}

}  // namespace

int poolSize() { return pool().size(); }
void setPoolSize(int n) { pool().resize(n); }
void parallel(int n, const std::function<void(int)>& fn) { pool().run(n, fn); }

void parallelFor(long total, long grain, const std::function<void(long, long)>& fn) {
  int p = poolSize();
  if (total <= 0) return;
  if (p == 1 || total < grain * 2) {
    fn(0, total);
    return;
  }
  // Four chunks per thread, handed out dynamically: a core briefly taken by V8's GC or compiler
  // threads (or another process) then delays the call by one chunk, not by half the work.
  long chunks = std::min<long>(4L * p, total / grain);
  parallel((int)chunks, [&](int t) {
    long b = total * t / chunks, e = total * (t + 1) / chunks;
    fn(b, e);
  });
}

}  // namespace deepspike
