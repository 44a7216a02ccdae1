// The serial row kernels of pool2d.cc (the callers parallelise), shared with kernels that pool a
// block of their own output while it is in cache (tdbn_lif.cc's fused average pool).
#pragma once
#include "ops.h"

namespace deepspike::detail {

// Output rows [r0, r1) (r = n*OH + oh) of the average pool of x into y: per window 0 + its in-bounds
// values in scan order, divided by their count (tf.js's AvgPool).
void avgPoolRows(const PoolGeom& g, const float* x, float* y, long r0, long r1);

// Input rows [r0, r1) (r = n*H + h) of the gradient of an average pool whose windows tile the input
// (stride = filter size, no leading padding): dx = (0 + dy)*(1/(fh*fw)) (tf.js's AvgPoolGrad).
void avgPoolGradTiledRows(const PoolGeom& g, const float* dy, float* dx, long r0, long r1);

}  // namespace deepspike::detail
