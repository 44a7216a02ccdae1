// 64-byte aligned std::vector storage: vector loads and stores of a row that starts on a multiple of
// 16 floats never straddle cache lines, and a load of a row just stored forwards from the store.
// (std::vector's default allocation is 16-byte aligned, which splits every 512-bit access.)
#pragma once
#include <cstddef>
#include <new>
#include <vector>

namespace deepspike {

template <class T>
struct Aligned64 {
  using value_type = T;
  Aligned64() = default;
  template <class U>
  Aligned64(const Aligned64<U>&) {}
  T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64))); }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(64)); }
  bool operator==(const Aligned64&) const { return true; }
  bool operator!=(const Aligned64&) const { return false; }
};

template <class T>
using AlignedVector = std::vector<T, Aligned64<T>>;

}  // namespace deepspike
