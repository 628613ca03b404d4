// gemm_f32 against a double-precision reference over a grid of awkward
// shapes, both operand orientations, alpha/beta variants, every ISA this CPU
// runs, and 1 and 2 threads.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "context.h"
#include "gemm/gemm.h"
#include "gemm/gemm_kernels.h"
#include "test_harness.h"

using namespace dendrite;

namespace {

struct Shape {
  size_t m, n, k;
  bool ta, tb;
  float alpha, beta;
  size_t pad_a, pad_b, pad_c;  // extra leading-dimension elements
};

std::string describe(const Shape& s, Isa isa, int threads) {
  return std::string(isa_name(isa)) + " threads=" + std::to_string(threads) + " m=" + std::to_string(s.m) +
         " n=" + std::to_string(s.n) + " k=" + std::to_string(s.k) + " ta=" + std::to_string(s.ta) +
         " tb=" + std::to_string(s.tb) + " alpha=" + std::to_string(s.alpha) +
         " beta=" + std::to_string(s.beta);
}

// Operands of one test case, stored with padded leading dimensions.
struct Case {
  Shape s;
  size_t lda, ldb, ldc;
  std::vector<float> a, b, c0;
  std::vector<double> ref, bound;

  explicit Case(const Shape& shape, uint32_t seed) : s(shape) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
    size_t a_rows = s.ta ? s.k : s.m, a_cols = s.ta ? s.m : s.k;
    size_t b_rows = s.tb ? s.n : s.k, b_cols = s.tb ? s.k : s.n;
    lda = a_cols + s.pad_a;
    ldb = b_cols + s.pad_b;
    ldc = s.n + s.pad_c;
    a.resize(a_rows * lda + 1);
    b.resize(b_rows * ldb + 1);
    c0.resize(s.m * ldc + 1);
    for (float& v : a) v = dist(rng);
    for (float& v : b) v = dist(rng);
    for (float& v : c0) v = s.beta == 0.0f ? std::numeric_limits<float>::quiet_NaN() : dist(rng);
    // Padding of C must come back untouched: mark it.
    for (size_t i = 0; i < s.m; ++i)
      for (size_t j = s.n; j < ldc; ++j) c0[i * ldc + j] = 12345.0f;
    c0.back() = 12345.0f;

    // Reference and error bound: each element within
    //   2·(k+1)·2⁻²⁴·|alpha|·Σ|a||b| + 2·2⁻²⁴·|beta·c|
    // (the float sum's worst case, plus the roundings of scaling and adding C).
    const double eps = std::ldexp(1.0, -24);
    ref.assign(s.m * s.n, 0.0);
    bound.assign(s.m * s.n, 0.0);
    for (size_t i = 0; i < s.m; ++i) {
      for (size_t j = 0; j < s.n; ++j) {
        double sum = 0.0, abs_sum = 0.0;
        for (size_t p = 0; p < s.k; ++p) {
          double av = s.ta ? a[p * lda + i] : a[i * lda + p];
          double bv = s.tb ? b[j * ldb + p] : b[p * ldb + j];
          sum += av * bv;
          abs_sum += std::fabs(av * bv);
        }
        double cv = s.beta == 0.0f ? 0.0 : double(c0[i * ldc + j]);
        ref[i * s.n + j] = double(s.alpha) * sum + double(s.beta) * cv;
        bound[i * s.n + j] = 2.0 * double(s.k + 1) * eps * std::fabs(double(s.alpha)) * abs_sum +
                             2.0 * eps * std::fabs(double(s.beta) * cv);
      }
    }
  }

  std::vector<float> run(Isa isa, ThreadPool* pool, Workspace* ws) const {
    Context ctx;
    ctx.isa = isa;
    ctx.pool = pool;
    ctx.workspace = ws;
    std::vector<float> c = c0;
    gemm_f32(ctx, s.ta, s.tb, s.m, s.n, s.k, s.alpha, a.data(), lda, b.data(), ldb, s.beta, c.data(), ldc);
    return c;
  }

  // Returns the number of bad elements (reporting the first few).
  int check(const std::vector<float>& c, const std::string& what) const {
    int bad = 0;
    for (size_t i = 0; i < s.m; ++i) {
      for (size_t j = 0; j < ldc; ++j) {
        float got = c[i * ldc + j];
        bool ok;
        if (j >= s.n) {
          ok = got == 12345.0f;
        } else {
          double err = std::fabs(double(got) - ref[i * s.n + j]);
          ok = std::isfinite(got) && err <= bound[i * s.n + j];
        }
        if (!ok && bad++ < 3) {
          CHECK(false) << what << " at (" << i << "," << j << "): got " << got << " want "
                       << (j < s.n ? ref[i * s.n + j] : 12345.0) << " bound "
                       << (j < s.n ? bound[i * s.n + j] : 0.0);
        }
      }
    }
    CHECK(c.back() == 12345.0f) << what << ": wrote past C";
    return bad;
  }
};

// Runs one shape under every ISA and 1 and 2 threads; the two thread counts
// must agree bit for bit (threads never split the k sum).
void check_shape(const Shape& s, uint32_t seed, ThreadPool& pool2, Workspace& ws) {
  Case tc(s, seed);
  for (Isa isa : dendrite_test::supported_isas()) {
    std::vector<float> one = tc.run(isa, nullptr, &ws);
    tc.check(one, describe(s, isa, 1));
    std::vector<float> two = tc.run(isa, &pool2, &ws);
    tc.check(two, describe(s, isa, 2));
    bool same = true;
    for (size_t i = 0; i < one.size(); ++i) {
      if (!(one[i] == two[i] || (std::isnan(one[i]) && std::isnan(two[i])))) same = false;
    }
    CHECK(same) << describe(s, isa, 2) << ": differs from the 1-thread result";
  }
}

const float kAlphaBeta[][2] = {{1.0f, 0.0f}, {1.0f, 1.0f}, {-0.5f, 2.0f}, {2.5f, 0.0f},
                               {1.0f, -1.0f}, {0.75f, 0.5f}, {0.0f, 0.5f}, {0.0f, 0.0f}};

}  // namespace

TEST(gemm_grid_of_awkward_shapes) {
  ThreadPool pool2(2);
  Workspace ws;
  const size_t dims[] = {0, 1, 2, 3, 5, 6, 7, 8, 13, 16, 17, 31, 33, 47, 64, 97, 128, 131, 257};
  std::mt19937 rng(20240611);
  auto pick = [&](size_t count) { return dims[rng() % count]; };
  uint32_t seed = 1;
  int shapes = 0;
  // Every orientation for a spread of shapes, small and medium.
  for (int i = 0; i < 160; ++i) {
    Shape s{};
    s.m = pick(19);
    s.n = pick(19);
    s.k = pick(19);
    s.ta = i & 1;
    s.tb = (i >> 1) & 1;
    const float* ab = kAlphaBeta[rng() % 8];
    s.alpha = ab[0];
    s.beta = ab[1];
    s.pad_a = rng() % 4;
    s.pad_b = rng() % 4;
    s.pad_c = rng() % 4;
    check_shape(s, seed++, pool2, ws);
    ++shapes;
  }
  // Shapes that reach the block edges: a dimension of 1000, primes past the
  // cache blocks, skinny and single-row products.
  const size_t big[][3] = {{1000, 37, 29},  {23, 1000, 41},  {19, 29, 1000}, {1, 1000, 300},
                           {1000, 1, 300},  {300, 1000, 1},  {613, 389, 521}, {2, 777, 613},
                           {7, 523, 1031},  {509, 16, 1000}, {1000, 6, 257},  {12, 1000, 12},
                           {1, 784, 512},   {4, 784, 512},   {9, 130, 700},   {1000, 1000, 3},
                           {5, 1100, 300},  {31, 2100, 37},  {33, 70, 1200},  {2, 3, 2000}};
  for (const auto& d : big) {
    for (int o = 0; o < 4; ++o) {
      Shape s{d[0], d[1], d[2], bool(o & 1), bool(o & 2), 1.0f, 0.0f, 0, 0, 0};
      if (o == 1) s.beta = 0.5f;
      if (o == 3) s.alpha = -1.5f;
      s.pad_a = o;
      s.pad_c = 3 - o;
      check_shape(s, seed++, pool2, ws);
      ++shapes;
    }
  }
  CHECK(shapes >= 200) << shapes;
}

TEST(gemm_beta_zero_ignores_nan_in_c) {
  ThreadPool pool2(2);
  Workspace ws;
  // Small path, packed path, k == 0 and alpha == 0 all overwrite C.
  const size_t shapes[][3] = {{1, 40, 9}, {50, 60, 70}, {5, 7, 0}, {30, 20, 10}};
  const float alphas[] = {1.0f, 1.0f, 1.0f, 0.0f};
  for (int t = 0; t < 4; ++t) {
    size_t m = shapes[t][0], n = shapes[t][1], k = shapes[t][2];
    std::vector<float> a(m * k + 1, 0.5f), b(k * n + 1, -0.25f);
    for (Isa isa : dendrite_test::supported_isas()) {
      for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &pool2}) {
        Context ctx{isa, pool, &ws};
        std::vector<float> c(m * n, std::numeric_limits<float>::quiet_NaN());
        gemm_f32(ctx, false, false, m, n, k, alphas[t], a.data(), k, b.data(), n, 0.0f, c.data(), n);
        float want = alphas[t] * 0.5f * -0.25f * float(k);
        bool ok = true;
        for (float v : c) ok = ok && v == want;
        CHECK(ok) << isa_name(isa) << " m=" << m << " n=" << n << " k=" << k << " alpha=" << alphas[t];
      }
    }
  }
}

TEST(gemm_zero_sized_products_touch_nothing) {
  Workspace ws;
  float c[4] = {1, 2, 3, 4};
  float a[4] = {1, 1, 1, 1};
  for (Isa isa : dendrite_test::supported_isas()) {
    Context ctx{isa, nullptr, &ws};
    gemm_f32(ctx, false, false, 0, 2, 2, 1.0f, a, 2, a, 2, 0.0f, c, 2);
    gemm_f32(ctx, true, true, 2, 0, 2, 1.0f, a, 2, a, 2, 0.0f, c, 2);
    CHECK(c[0] == 1 && c[1] == 2 && c[2] == 3 && c[3] == 4) << isa_name(isa);
    // k == 0 scales C by beta.
    gemm_f32(ctx, false, false, 2, 2, 0, 1.0f, a, 1, a, 2, 2.0f, c, 2);
    CHECK(c[0] == 2 && c[1] == 4 && c[2] == 6 && c[3] == 8) << isa_name(isa);
    c[0] = 1, c[1] = 2, c[2] = 3, c[3] = 4;
  }
}

TEST(gemm_runs_without_workspace_or_pool) {
  // A context with neither still computes (scratch is then allocated per call).
  const size_t m = 40, n = 33, k = 70;
  std::vector<float> a(m * k, 1.0f), b(k * n, 2.0f), c(m * n, 0.0f);
  for (Isa isa : dendrite_test::supported_isas()) {
    Context ctx{isa, nullptr, nullptr};
    gemm_f32(ctx, false, false, m, n, k, 1.0f, a.data(), k, b.data(), n, 0.0f, c.data(), n);
    bool ok = true;
    for (float v : c) ok = ok && v == 140.0f;
    CHECK(ok) << isa_name(isa);
  }
}

TEST(gemm_batched_matches_one_product_at_a_time) {
  ThreadPool pool2(2);
  Workspace ws;
  std::mt19937 rng(99);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  // (m, n, k, batch, broadcast A?, broadcast B?, ta, tb): small products run
  // side by side on threads, big ones one after another.
  struct BatchCase {
    size_t m, n, k, batch;
    bool share_a, share_b, ta, tb;
  };
  const BatchCase cases[] = {{3, 5, 7, 9, false, false, false, false}, {17, 33, 9, 5, true, false, true, false},
                             {1, 40, 30, 7, false, true, false, true},  {64, 64, 64, 4, false, false, true, true},
                             {130, 70, 150, 3, false, true, false, false}, {6, 16, 1, 11, true, true, false, false}};
  for (const BatchCase& bc : cases) {
    const size_t lda = (bc.ta ? bc.m : bc.k) + 1, ldb = (bc.tb ? bc.k : bc.n) + 2, ldc = bc.n + 3;
    const size_t span_a = (bc.ta ? bc.k : bc.m) * lda, span_b = (bc.tb ? bc.n : bc.k) * ldb;
    const size_t span_c = bc.m * ldc;
    const size_t stride_a = bc.share_a ? 0 : span_a, stride_b = bc.share_b ? 0 : span_b;
    std::vector<float> a(span_a * bc.batch), b(span_b * bc.batch), c0(span_c * bc.batch);
    for (float& v : a) v = dist(rng);
    for (float& v : b) v = dist(rng);
    for (float& v : c0) v = dist(rng);
    for (Isa isa : dendrite_test::supported_isas()) {
      for (ThreadPool* pool : {static_cast<ThreadPool*>(nullptr), &pool2}) {
        Context ctx{isa, pool, &ws};
        std::vector<float> want = c0, got = c0;
        for (size_t i = 0; i < bc.batch; ++i) {
          gemm_f32(ctx, bc.ta, bc.tb, bc.m, bc.n, bc.k, 0.5f, a.data() + i * stride_a, lda,
                   b.data() + i * stride_b, ldb, 0.25f, want.data() + i * span_c, ldc);
        }
        gemm_f32_batched(ctx, bc.ta, bc.tb, bc.m, bc.n, bc.k, 0.5f, a.data(), lda, stride_a, b.data(), ldb,
                         stride_b, 0.25f, got.data(), ldc, span_c, bc.batch);
        CHECK(got == want) << isa_name(isa) << " m=" << bc.m << " n=" << bc.n << " k=" << bc.k
                           << " batch=" << bc.batch << " threads=" << (pool ? 2 : 1);
      }
    }
  }
}

TEST(gemm_batched_overlapping_outputs_accumulate_in_order) {
  // strideC = 0 with beta = 1: every product is added into the same C.
  ThreadPool pool2(2);
  Workspace ws;
  const size_t m = 4, n = 5, k = 3, batch = 6;
  std::vector<float> a(m * k * batch), b(k * n, 1.0f);
  for (size_t i = 0; i < a.size(); ++i) a[i] = float(i % 7);
  for (Isa isa : dendrite_test::supported_isas()) {
    Context ctx{isa, &pool2, &ws};
    std::vector<float> c(m * n, 0.0f);
    gemm_f32_batched(ctx, false, false, m, n, k, 1.0f, a.data(), k, m * k, b.data(), n, 0, 1.0f, c.data(), n, 0,
                     batch);
    for (size_t i = 0; i < m; ++i) {
      float want = 0.0f;
      for (size_t e = 0; e < batch; ++e)
        for (size_t p = 0; p < k; ++p) want += a[e * m * k + i * k + p];
      for (size_t j = 0; j < n; ++j) CHECK(c[i * n + j] == want) << isa_name(isa) << " (" << i << "," << j << ")";
    }
  }
}

TEST(gemm_packed_path_every_edge_of_the_tiles) {
  // m = 33..40 and n = 36..47 leave every remainder of the 6-, 8- and
  // 12-row tiles and of the 12-, 16- and 32-column ones (m > 32: the packed
  // path whatever the orientation of B).
  ThreadPool pool2(2);
  Workspace ws;
  const size_t depths[] = {3, 12, 67};
  uint32_t seed = 5000;
  for (size_t m = 33; m <= 40; ++m) {
    for (size_t n = 36; n <= 47; ++n) {
      const size_t i = (m - 33) * 12 + (n - 36);
      Shape s{m, n, depths[i % 3], bool(i & 1), bool((i >> 1) & 1), 1.0f, 0.0f, i % 3, (i + 1) % 3, i % 2};
      if (i % 5 == 0) s.beta = -0.5f;
      check_shape(s, seed++, pool2, ws);
    }
  }
}

TEST(gemm_micro_kernels_write_exactly_their_edge_tiles) {
  // Every kernel table of every ISA, called directly on every tile size
  // mr × nr up to its MR × NR: only C[0:mr, 0:nr] may change, beta == 0 must
  // not read C (it holds NaN), and the packers must zero the lanes past the
  // edge for both orientations of each operand.
  std::mt19937 rng(77);
  std::uniform_real_distribution<float> dist(-1.0f, 1.0f);
  const double eps = std::ldexp(1.0, -24);
  for (Isa isa : dendrite_test::supported_isas()) {
    std::vector<const gemm::GemmKernels*> tables;
    for (size_t m : {6, 8, 12}) {
      const gemm::GemmKernels* t = &gemm::gemm_kernels(isa, m);
      if (std::find(tables.begin(), tables.end(), t) == tables.end()) tables.push_back(t);
    }
    for (const gemm::GemmKernels* t : tables) {
      const size_t MR = t->mr, NR = t->nr, ldc = NR + 5;
      int bad = 0;
      for (size_t mr = 1; mr <= MR; ++mr) {
        for (size_t nr = 1; nr <= NR; ++nr) {
          const size_t kc = size_t{1} + (mr * 7 + nr * 3) % 9;  // 1..9: every remainder of a 4-step unroll
          const bool ta = (mr + nr) & 1, tb = (mr + kc) & 1;
          const bool beta_zero = (mr * nr) % 3 == 0;
          const float alpha = 1.5f, beta = beta_zero ? 0.0f : -0.75f;
          // op(A) mr×kc and op(B) kc×nr, stored with a leading dimension one wider.
          const size_t lda = (ta ? mr : kc) + 1, ldb = (tb ? kc : nr) + 1;
          std::vector<float> a((ta ? kc : mr) * lda), b((tb ? nr : kc) * ldb);
          for (float& v : a) v = dist(rng);
          for (float& v : b) v = dist(rng);
          // Packed panels 64-byte aligned, as the drivers' workspace gives them.
          std::vector<float> a_store(MR * kc + gemm::kPackSlack + 16), b_store(NR * kc + gemm::kPackSlack + 16);
          auto aligned = [](std::vector<float>& v) {
            return v.data() + (16 - reinterpret_cast<uintptr_t>(v.data()) / sizeof(float) % 16) % 16;
          };
          float* a_pack = aligned(a_store);
          float* b_pack = aligned(b_store);
          t->pack_a(gemm::Operand{a.data(), lda, ta}, mr, kc, a_pack);
          t->pack_b(gemm::Operand{b.data(), ldb, tb}, kc, nr, b_pack);
          std::vector<float> c((MR + 1) * ldc);
          for (size_t e = 0; e < c.size(); ++e) {
            const bool inside = e / ldc < mr && e % ldc < nr;
            c[e] = !inside ? 12345.0f : beta_zero ? std::numeric_limits<float>::quiet_NaN() : dist(rng);
          }
          const std::vector<float> c0 = c;
          t->micro_kernel(kc, a_pack, b_pack, c.data(), ldc, alpha, beta, mr, nr, a_pack, b_pack);
          for (size_t e = 0; e < c.size(); ++e) {
            const size_t i = e / ldc, j = e % ldc;
            bool ok;
            if (i >= mr || j >= nr) {
              ok = c[e] == 12345.0f;
            } else {
              double sum = 0.0, abs_sum = 0.0;
              for (size_t p = 0; p < kc; ++p) {
                const double av = ta ? a[p * lda + i] : a[i * lda + p];
                const double bv = tb ? b[j * ldb + p] : b[p * ldb + j];
                sum += av * bv;
                abs_sum += std::fabs(av * bv);
              }
              const double cv = beta_zero ? 0.0 : double(c0[e]);
              const double want = double(alpha) * sum + double(beta) * cv;
              const double bound = 2.0 * double(kc + 1) * eps * double(alpha) * abs_sum + 2.0 * eps * std::fabs(beta * cv);
              ok = std::isfinite(c[e]) && std::fabs(double(c[e]) - want) <= bound;
            }
            if (!ok && bad++ < 3) {
              CHECK(false) << isa_name(isa) << " tile " << MR << "x" << NR << " mr=" << mr << " nr=" << nr
                           << " kc=" << kc << " ta=" << ta << " tb=" << tb << " beta=" << beta << " at (" << i
                           << "," << j << "): got " << c[e];
            }
          }
        }
      }
      CHECK(bad == 0) << isa_name(isa) << " tile " << MR << "x" << NR << ": " << bad << " bad elements";
    }
  }
}
