#include "cpu/isa.h"

#include <cstring>
#include <initializer_list>

namespace dendrite {

bool cpu_supports(Isa isa) {
  switch (isa) {
    case Isa::Scalar:
      return true;
    case Isa::Avx2:
#if defined(__x86_64__) || defined(__i386__)
      __builtin_cpu_init();
      return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
      return false;
#endif
    case Isa::Avx512:
#if defined(__x86_64__) || defined(__i386__)
      // libgcc's feature bits already account for XCR0 (the OS saving the
      // ZMM and mask registers), so a CPU whose OS disabled them reads false.
      __builtin_cpu_init();
      return cpu_supports(Isa::Avx2) && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512dq");
#else
      return false;
#endif
    case Isa::Neon:
#if defined(__aarch64__) || defined(_M_ARM64)
      return true;
#else
      return false;
#endif
  }
  return false;
}

Isa detect_best_isa() {
  if (cpu_supports(Isa::Neon)) return Isa::Neon;
  if (cpu_supports(Isa::Avx512)) return Isa::Avx512;
  return cpu_supports(Isa::Avx2) ? Isa::Avx2 : Isa::Scalar;
}

const char* isa_name(Isa isa) {
  switch (isa) {
    case Isa::Avx512:
      return "avx512";
    case Isa::Avx2:
      return "avx2";
    case Isa::Neon:
      return "neon";
    case Isa::Scalar:
      break;
  }
  return "scalar";
}

bool parse_isa(const char* name, Isa* out) {
  for (Isa isa : {Isa::Scalar, Isa::Avx2, Isa::Avx512, Isa::Neon}) {
    if (std::strcmp(name, isa_name(isa)) == 0) {
      *out = isa;
      return true;
    }
  }
  return false;
}

}  // namespace dendrite
