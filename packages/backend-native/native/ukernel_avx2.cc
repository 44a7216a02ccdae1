// AVX2/FMA micro-kernel: 6 x 16 (12 ymm accumulators). Built with -mavx2 -mfma.
#define DS_VW 8
#define DS_MR 6
#define DS_NV 2
#define DS_UKERNEL ukernel_avx2
#define DS_UKERNEL_IND ukernel_ind_avx2
#define DS_CONV_SMALLC conv_smallc_avx2
#define DS_CONV_SMALLC_DW conv_smallc_dw_avx2
#define DS_CONV_SPIKES conv_spikes_avx2
#define DS_CONV_SPIKES_DW conv_spikes_dw_avx2
#define DS_UKERNEL_INDT ukernel_indt_avx2
#define DS_UKERNEL_RR ukernel_rr_avx2
#define DS_UKERNEL_RR8 ukernel_rr8_avx2
#include "ukernel.inc"
#include "conv_spikes.inc"
