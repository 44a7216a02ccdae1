// Winograd F(2x2, 3x3) convolution (winograd.cc): the fast path of conv2d() for dense 3x3,
// stride-1, dilation-1 convolutions (so also of conv2dBackpropInput() at stride 1), and of
// conv2dBackpropFilter() on the same shapes.
#pragma once
#include "ops.h"

namespace deepspike {

// Whether conv2d() may take the Winograd path: DEEPSPIKE_WINOGRAD=0 switches it off (read once, at
// the first call); setWinograd() overrides it (tests, benchmarks).
bool winogradEnabled();
void setWinograd(bool on);

// Whether g suits F(2x2, 3x3): a 3x3 filter, stride 1, dilation 1, and enough input and output
// channels (C >= 12, CO >= 8, measured) for the 16 small GEMMs and the transforms to beat the
// indirect-GEMM path (any padding, any output size from 2x2 up).
bool winogradApplies(const ConvGeom& g);

// y [N, OH, OW, CO] = conv(x [N, H, W, C], w [3, 3, C, CO]) with g's padding; g must satisfy
// winogradApplies() (channel counts aside: any C, CO >= 1 is computed correctly).
void conv2dWinograd(const ConvGeom& g, const float* x, const float* w, float* y);

// dw [3, 3, C, CO] = the filter gradient of that conv from x and dy [N, OH, OW, CO]; g as above.
void conv2dBackpropFilterWinograd(const ConvGeom& g, const float* x, const float* dy, float* dw);

}  // namespace deepspike
