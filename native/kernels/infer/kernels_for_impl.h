// The table of one ISA's inference kernels (infer_kernels.h), from the
// templates written over its vector type: included by infer_kernels_<isa>.cc.
#pragma once

#include "infer/infer_kernels.h"
#include "infer/linear_impl.h"
#include "infer/plane_epilogue_impl.h"
#include "infer/single_channel_impl.h"
#include "infer/winograd_impl.h"

namespace dendrite::infer {
namespace {

// MR, NV: the Winograd micro-tile; LMR, LNV: the fully connected one.
template <class Ops, size_t MR, size_t NV, size_t LMR, size_t LNV>
const InferKernels& kernels_for() {
  static const InferKernels table = {
      MR,
      NV * Ops::kLanes,
      winograd_filters<Ops>,
      winograd_chunk<Ops, MR, NV>,
      single_channel_conv<Ops>,
      plane_epilogue<Ops>,
      linear_features<Ops>,
      Ops::kLanes,
      LNV * Ops::kLanes,
      pack_samples<Ops, LNV * Ops::kLanes>,
      linear_panels<Ops, LMR, LNV>,
  };
  return table;
}

}  // namespace
}  // namespace dendrite::infer
