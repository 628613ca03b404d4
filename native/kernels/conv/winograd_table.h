// One ISA's table of Winograd transforms, instantiated by winograd_<isa>.cc
// after including that ISA's vector operations.
#pragma once

#include "conv/winograd_kernels.h"
#include "conv/winograd_transforms.h"
#include "conv/winograd_weight_transforms.h"

namespace dendrite::winograd {
// Internal linkage, as in winograd_transforms.h.
namespace {

template <class Ops>
const WinogradKernels& kernels_for() {
  static const WinogradKernels table{Ops::kLanes, input_to_panels<Ops>, panel_to_output<Ops>,
                                     input_to_channel_panels<Ops>, gradient_to_row_panels<Ops>};
  return table;
}

}  // namespace
}  // namespace dendrite::winograd
