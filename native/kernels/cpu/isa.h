// Instruction-set levels the kernels are compiled for, and detection of the best one this CPU runs.
#pragma once

namespace dendrite {

// Ordered: each level includes the ones below it (an AVX-512 CPU runs every
// AVX2 kernel, and families without an AVX-512 kernel use their AVX2 one).
enum class Isa { Scalar = 0, Avx2 = 1, Avx512 = 2 };

// Whether kernels written for AVX2+FMA may run under `isa`.
inline bool has_avx2(Isa isa) { return isa >= Isa::Avx2; }

// The best ISA both compiled in and supported by this CPU (AVX2 needs FMA as
// well; AVX-512 needs F, VL, BW and DQ and an OS that saves its registers).
Isa detect_best_isa();

// Whether this CPU can run kernels of `isa`.
bool cpu_supports(Isa isa);

// "scalar", "avx2" or "avx512".
const char* isa_name(Isa isa);

// Parses "scalar"/"avx2"/"avx512"; returns false on an unknown name.
bool parse_isa(const char* name, Isa* out);

}  // namespace dendrite
