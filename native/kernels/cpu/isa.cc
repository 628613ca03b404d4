#include "cpu/isa.h"

#include <cstring>

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
  }
  return false;
}

Isa detect_best_isa() { return cpu_supports(Isa::Avx2) ? Isa::Avx2 : Isa::Scalar; }

const char* isa_name(Isa isa) { return isa == Isa::Avx2 ? "avx2" : "scalar"; }

bool parse_isa(const char* name, Isa* out) {
  if (std::strcmp(name, "scalar") == 0) { *out = Isa::Scalar; return true; }
  if (std::strcmp(name, "avx2") == 0) { *out = Isa::Avx2; return true; }
  return false;
}

}  // namespace dendrite
