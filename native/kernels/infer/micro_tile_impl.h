// The register-blocked product both the Winograd and the fully connected
// kernels are built on, written once over a vector type `Ops` (ops_*.h):
// a tile of MR rows × NV vectors of C in registers, A read in place (row i
// at a + i·lda, one element broadcast per step), B a row of NV vectors per
// step. With MR = 8 and NV = 2 on AVX-512 each step is 2 loads,
// 8 broadcasts and 16 FMAs.
#pragma once

#include <cstddef>

namespace dendrite::infer {
namespace {

// m [MR][NV·kLanes] = A [MR][depth] (row stride lda) · B [depth][NV·kLanes] (row stride ldb).
template <class Ops, size_t MR, size_t NV>
void micro_tile(size_t depth, const float* a, size_t lda, const float* b, size_t ldb, float* m) {
  using Vec = typename Ops::Vec;
  constexpr size_t L = Ops::kLanes;
  Vec acc[MR][NV];
  for (size_t i = 0; i < MR; ++i)
    for (size_t j = 0; j < NV; ++j) acc[i][j] = Ops::zero();
  for (size_t p = 0; p < depth; ++p) {
    Vec bv[NV];
    for (size_t j = 0; j < NV; ++j) bv[j] = Ops::load(b + p * ldb + j * L);
    for (size_t i = 0; i < MR; ++i) {
      const Vec av = Ops::broadcast(a[i * lda + p]);
      for (size_t j = 0; j < NV; ++j) acc[i][j] = Ops::fma(av, bv[j], acc[i][j]);
    }
  }
  for (size_t i = 0; i < MR; ++i)
    for (size_t j = 0; j < NV; ++j) Ops::store(m + (i * NV + j) * L, acc[i][j]);
}

}  // namespace
}  // namespace dendrite::infer
