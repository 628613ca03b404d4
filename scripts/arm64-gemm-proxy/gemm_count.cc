// Runs one fixed product C[m×n] = A[m×k]·B[k×n] under the ISA named on the command line.
#include <cstdio>
#include <cstdlib>
#include <vector>
#include "context.h"
#include "gemm/gemm.h"
using namespace dendrite;
int main(int argc, char** argv) {
  Isa isa;
  if (argc < 5 || !parse_isa(argv[1], &isa)) { std::fprintf(stderr, "usage: isa m n k\n"); return 2; }
  size_t m = std::atol(argv[2]), n = std::atol(argv[3]), k = std::atol(argv[4]);
  std::vector<float> a(m * k), b(k * n), c(m * n);
  for (size_t i = 0; i < a.size(); ++i) a[i] = float(i % 7) - 3;
  for (size_t i = 0; i < b.size(); ++i) b[i] = float(i % 5) - 2;
  Workspace ws;
  Context ctx{isa, nullptr, &ws};
  gemm_f32(ctx, false, false, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
  double s = 0; for (float v : c) s += v;
  std::printf("%s checksum %.1f\n", isa_name(isa), s);
}
