// Instruction-set levels the kernels are compiled for, and detection of the best one this CPU runs.
#pragma once

// Whether this build compiles the *_neon.cc kernels (CMakeLists.txt and
// binding.gyp add them to arm64 targets only): dispatch code may reference
// their functions only when this is 1.
#if defined(__aarch64__) || defined(_M_ARM64)
#define DENDRITE_HAVE_NEON_KERNELS 1
#else
#define DENDRITE_HAVE_NEON_KERNELS 0
#endif

namespace dendrite {

// x86: each level includes the one below it (an AVX-512 CPU runs every AVX2
// kernel, and families without an AVX-512 kernel use their AVX2 one).
// Arm64: NEON (Advanced SIMD) is part of every ARMv8-A core, so an arm64 build
// has two levels, Scalar and Neon. The two families never meet in one process.
enum class Isa { Scalar = 0, Avx2 = 1, Avx512 = 2, Neon = 3 };

// Whether kernels written for AVX2+FMA may run under `isa`.
inline bool has_avx2(Isa isa) { return isa == Isa::Avx2 || isa == Isa::Avx512; }

// Whether kernels written for NEON may run under `isa` (only arm64 builds
// compile them, and only an arm64 CPU reports this level).
inline bool has_neon(Isa isa) { return isa == Isa::Neon; }

// The best ISA both compiled in and supported by this CPU (AVX2 needs FMA as
// well; AVX-512 needs F, VL, BW and DQ and an OS that saves its registers;
// NEON on every arm64 CPU).
Isa detect_best_isa();

// Whether this CPU can run kernels of `isa`.
bool cpu_supports(Isa isa);

// "scalar", "avx2", "avx512" or "neon".
const char* isa_name(Isa isa);

// Parses "scalar"/"avx2"/"avx512"/"neon"; returns false on an unknown name.
bool parse_isa(const char* name, Isa* out);

}  // namespace dendrite
