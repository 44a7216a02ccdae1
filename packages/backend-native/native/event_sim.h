// The whole event-mode integer simulator in C++ (native/event_sim.cc): a plan of nodes in evaluation
// order (built by @deepspike/neuromorphic's buildEventPlan), run for many samples from fresh state.
// Every operation mirrors neuromorphic's sim/int-sim.ts in `event` mode, in the same order and
// without FMA contraction, so its results equal the TypeScript simulator's bit for bit.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "aligned.h"
#include "ops.h"

namespace deepspike {

enum class PlanOp { Input = 0, Conv = 1, Linear = 2, Population = 3, Pool = 4, Flatten = 5, Scale = 6, Output = 7 };

struct PlanEdge {
  int from;
  bool back;
  std::vector<double> gain;  // empty: unit gain
};

struct PlanNode {
  PlanOp op;
  long inSize, outSize;
  std::vector<PlanEdge> inputs;
  std::vector<int> geom;
  AlignedVector<float> weight;  // 64-byte aligned: a weight row's vector loads do not straddle cache lines
  std::vector<float> bias;
  std::vector<double> params;
  // Set by prepareEventPlan for convs: integer weights, and the largest sum of |w| over one output's fan-in.
  bool integerWeights = false;
  double fanInAbsMax = 0;
  // Convs: (ci, ix, iy) per input element; tiling sum pools: the output of each input element (-1: none).
  std::vector<int> decode;
};

struct EventPlan {
  std::vector<PlanNode> nodes;
  double smax;
  // Per pool thread, the sample state of the last run, reused by the next (a plan runs on one JS thread at a time).
  mutable std::vector<std::shared_ptr<void>> scratch;
};

// Per sample (flat, see EventPlanResults in event-plan.ts): outputSums [samples, outputs' sizes],
// spikeCounts [samples, populations], stats [samples, 2] = synaptic ops, saturations.
struct EventRunOut {
  double* outputSums;
  double* spikeCounts;
  double* stats;
};

// Checks the plan's sizes against each other (an empty string, or which node is wrong and how) and
// precomputes what the run needs (the convs' exactness bounds).
std::string prepareEventPlan(EventPlan& p);
// One step's values of an input node: float32 or float64, null for zeros.
struct StepInput {
  const void* data;
  bool f32;
};

// inputs[j][s * steps + t]: the j-th input node's values of sample s at step t (its size each).
// Samples run in parallel on the pool.
void runEventPlan(const EventPlan& p, const std::vector<std::vector<StepInput>>& inputs, long samples, long steps, const EventRunOut& out);

}  // namespace deepspike
