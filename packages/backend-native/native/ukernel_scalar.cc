// Portable scalar micro-kernel (4 x 4), the reference path of DEEPSPIKE_NATIVE_SIMD=off.
// Built with -fno-tree-vectorize so it really is scalar.
#define DS_VW 1
#define DS_MR 4
#define DS_NV 4
#define DS_UKERNEL ukernel_scalar
#define DS_UKERNEL_IND ukernel_ind_scalar
#define DS_CONV_SMALLC conv_smallc_scalar
#define DS_CONV_SMALLC_DW conv_smallc_dw_scalar
#define DS_CONV_SPIKES conv_spikes_scalar
#define DS_CONV_SPIKES_DW conv_spikes_dw_scalar
#define DS_UKERNEL_INDT ukernel_indt_scalar
#define DS_UKERNEL_RR ukernel_rr_scalar
#define DS_UKERNEL_RR8 ukernel_rr8_scalar
#include "ukernel.inc"
#include "conv_spikes.inc"
