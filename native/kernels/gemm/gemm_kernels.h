// The pieces one instruction set supplies to the GEMM drivers: packing of
// A and B into micro-panels, the MR×NR micro-kernel, and the small-product
// kernel that works on the operands in place.
//
// Packed layouts (the same for every ISA; only the tile size MR×NR differs,
// and the table says which it uses, so the drivers do not care which runs):
//  - A block: ceil(rows/MR) micro-panels; panel r holds, for each p < kc, the
//    MR values op(A)[r·MR + i][p] (i < MR) contiguously. Rows past the edge are 0.
//  - B panel: ceil(cols/NR) micro-panels; panel q holds, for each p < kc, the
//    NR values op(B)[p][q·NR + j] (j < NR) contiguously. Columns past the edge are 0.
// Zero padding lets one full-size micro-kernel compute edge tiles; only the
// store of an edge tile is special.
#pragma once

#include <cstddef>

#include "cpu/isa.h"

// Micro-kernels keep their k loop out of line, so that only integer
// registers carry the other arguments through it.
#if defined(_MSC_VER)
#define DENDRITE_GEMM_NOINLINE __declspec(noinline)
#else
#define DENDRITE_GEMM_NOINLINE __attribute__((noinline))
#endif

namespace dendrite::gemm {

// Packing may write this many floats past a block's end (whole-vector stores);
// scratch buffers are allocated with this much slack.
constexpr size_t kPackSlack = 32;

// One operand as stored: element (row, col) of op(X) is x[row·ld + col] when
// not transposed and x[col·ld + row] when transposed.
struct Operand {
  const float* data;
  size_t ld;
  bool trans;
};

// Packs op(A)[0:rows, 0:kc] (rows ≤ any; whole micro-panels are written).
using PackAFn = void (*)(Operand a, size_t rows, size_t kc, float* packed);
// Packs op(B)[0:kc, 0:cols].
using PackBFn = void (*)(Operand b, size_t kc, size_t cols, float* packed);
// C[0:mr, 0:nr] = alpha · Apanel·Bpanel + beta · C (beta == 0: C is not read),
// for mr ≤ MR, nr ≤ NR. `a_next`/`b_next` are the panels used next (prefetch hints).
using MicroKernelFn = void (*)(size_t kc, const float* a_panel, const float* b_panel, float* c,
                               size_t ldc, float alpha, float beta, size_t mr, size_t nr,
                               const float* a_next, const float* b_next);
// C[0:m, 0:n] = alpha · op(A)·op(B) + beta · C without packing, for small m.
using SmallGemmFn = void (*)(Operand a, Operand b, size_t m, size_t n, size_t k, float alpha,
                             float beta, float* c, size_t ldc);

// Cache blocking of the packed driver: an mc×kc block of A is packed to sit in
// L2, a kc×nc panel of B beside it, and one kc×NR micro-panel of B in L1.
struct GemmBlocking {
  size_t mc;  // multiple of MR
  size_t kc;
  size_t nc;  // multiple of NR
};

// Blocking for the caches of the CPU this runs on and a micro-kernel of mr×nr.
GemmBlocking default_blocking(size_t mr, size_t nr);

struct GemmKernels {
  size_t mr;  // rows of the micro-kernel's tile of C
  size_t nr;  // columns
  PackAFn pack_a;
  PackBFn pack_b;
  MicroKernelFn micro_kernel;
  SmallGemmFn small_gemm;
  GemmBlocking blocking;
};

const GemmKernels& scalar_gemm_kernels();
#if defined(__x86_64__) || defined(__i386__)
const GemmKernels& avx2_gemm_kernels();
// AVX-512 has two tile heights; this picks the one that wastes fewer rows of
// a product with m rows.
const GemmKernels& avx512_gemm_kernels(size_t m);
#endif
#if DENDRITE_HAVE_NEON_KERNELS
// The 8×12 NEON tile (neon_kernels.h).
const GemmKernels& neon_gemm_kernels();
#endif

// The kernels for `isa` (the scalar ones when it is not compiled in), for a
// product whose C has m rows.
inline const GemmKernels& gemm_kernels(Isa isa, size_t m) {
#if defined(__x86_64__) || defined(__i386__)
  if (isa == Isa::Avx512) return avx512_gemm_kernels(m);
  if (isa == Isa::Avx2) return avx2_gemm_kernels();
#endif
#if DENDRITE_HAVE_NEON_KERNELS
  if (has_neon(isa)) return neon_gemm_kernels();
#endif
  (void)m;
  return scalar_gemm_kernels();
}

}  // namespace dendrite::gemm
