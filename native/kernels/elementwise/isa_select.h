// Which ISA paths are compiled into this build. The *_avx2.cc files are only
// built for x86 targets and the *_neon.cc files only for arm64 ones
// (CMakeLists.txt, binding.gyp), so dispatch code may reference their
// functions only under DENDRITE_HAVE_AVX2_KERNELS / DENDRITE_HAVE_NEON_KERNELS
// (the latter defined in cpu/isa.h).
#pragma once

#include "context.h"

#if defined(__x86_64__) || defined(__i386__) || defined(_M_X64) || defined(_M_IX86)
#define DENDRITE_HAVE_AVX2_KERNELS 1
#else
#define DENDRITE_HAVE_AVX2_KERNELS 0
#endif

namespace dendrite {

inline bool wants_avx2(const Context& ctx) { return DENDRITE_HAVE_AVX2_KERNELS && has_avx2(ctx.isa); }

inline bool wants_neon(const Context& ctx) { return DENDRITE_HAVE_NEON_KERNELS && has_neon(ctx.isa); }

}  // namespace dendrite
