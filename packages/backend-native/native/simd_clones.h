// DS_CLONES: compile a hot loop function for AVX-512, AVX2 and the baseline, chosen at load time
// by the dynamic linker (GCC function multi-versioning, x86-64 Linux/glibc). Elsewhere a no-op:
// the baseline build (SSE2 / NEON / generic) is used. The addon's own files keep -ffp-contract=off,
// so the clones compute the same float32 results as the baseline.
#pragma once

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && defined(__linux__)
#define DS_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define DS_CLONES
#endif
