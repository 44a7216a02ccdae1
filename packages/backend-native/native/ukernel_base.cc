// Baseline micro-kernels, built without extra -m flags so they run on every host of the
// architecture: 128-bit vectors (SSE2 on x86-64, NEON on arm64, generic lowering elsewhere),
// 6 x 8; and the scalar 4 x 4 kernel used when SIMD is switched off (DEEPSPIKE_NATIVE_SIMD=off).
#define DS_VW 4
#define DS_MR 6
#define DS_NV 2
#define DS_UKERNEL ukernel_vec128
#define DS_UKERNEL_IND ukernel_ind_vec128
#define DS_CONV_SMALLC conv_smallc_vec128
#define DS_CONV_SMALLC_DW conv_smallc_dw_vec128
#define DS_CONV_SPIKES conv_spikes_vec128
#define DS_CONV_SPIKES_DW conv_spikes_dw_vec128
#define DS_UKERNEL_INDT ukernel_indt_vec128
#define DS_UKERNEL_RR ukernel_rr_vec128
#define DS_UKERNEL_RR8 ukernel_rr8_vec128
#include "ukernel.inc"
#include "conv_spikes.inc"
#undef DS_VW
#undef DS_MR
#undef DS_NV
#undef DS_UKERNEL
#undef DS_UKERNEL_IND
#undef DS_CONV_SMALLC
#undef DS_CONV_SMALLC_DW
#undef DS_UKERNEL_INDT
#undef DS_UKERNEL_RR
#undef DS_UKERNEL_RR8
