// AVX-512F micro-kernel: 12 x 32 (24 zmm accumulators). Built with -mavx512f -mfma.
#define DS_VW 16
#define DS_MR 12
#define DS_NV 2
#define DS_UKERNEL ukernel_avx512
#define DS_UKERNEL_IND ukernel_ind_avx512
#define DS_CONV_SMALLC conv_smallc_avx512
#define DS_CONV_SMALLC_DW conv_smallc_dw_avx512
#define DS_CONV_SPIKES conv_spikes_avx512
#define DS_CONV_SPIKES_DW conv_spikes_dw_avx512
#define DS_UKERNEL_INDT ukernel_indt_avx512
#define DS_UKERNEL_RR ukernel_rr_avx512
#define DS_UKERNEL_RR8 ukernel_rr8_avx512
#include "ukernel.inc"
#include "conv_spikes.inc"
