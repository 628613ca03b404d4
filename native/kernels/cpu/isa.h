// Instruction-set levels the kernels are compiled for, and detection of the best one this CPU runs.
#pragma once

namespace dendrite {

enum class Isa { Scalar = 0, Avx2 = 1 };

// The best ISA both compiled in and supported by this CPU (AVX2 needs FMA as well).
Isa detect_best_isa();

// Whether this CPU can run kernels of `isa`.
bool cpu_supports(Isa isa);

// "scalar" or "avx2".
const char* isa_name(Isa isa);

// Parses "scalar"/"avx2"; returns false on an unknown name.
bool parse_isa(const char* name, Isa* out);

}  // namespace dendrite
