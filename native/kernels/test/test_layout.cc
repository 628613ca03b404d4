// Layout kernels against plain index arithmetic on awkward shapes, 1 and 3 threads.
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include "context.h"
#include "layout/copy_blocks.h"
#include "layout/permute.h"
#include "layout/rows.h"
#include "test_harness.h"

using namespace dendrite;

namespace {

std::vector<float> iota_floats(size_t n) {
  std::vector<float> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<float>(i) * 0.5f - 7.0f;
  return v;
}

// Reference: walk the output in order, compute the input offset from scratch.
std::vector<float> permute_reference(const std::vector<float>& x, const std::vector<int64_t>& shape,
                                     const std::vector<int>& perm) {
  int rank = static_cast<int>(shape.size());
  std::vector<int64_t> stride(rank, 1);
  for (int d = rank - 2; d >= 0; --d) stride[d] = stride[d + 1] * shape[d + 1];
  std::vector<int64_t> out_shape(rank);
  for (int i = 0; i < rank; ++i) out_shape[i] = shape[perm[i]];
  std::vector<float> out(x.size());
  for (size_t flat = 0; flat < out.size(); ++flat) {
    size_t rest = flat;
    int64_t off = 0;
    for (int i = rank - 1; i >= 0; --i) {
      int64_t idx = static_cast<int64_t>(rest % out_shape[i]);
      rest /= out_shape[i];
      off += idx * stride[perm[i]];
    }
    out[flat] = x[off];
  }
  return out;
}

template <class Fn>
void with_threads(Fn&& fn) {
  for (int threads : {1, 3}) {
    ThreadPool pool(threads);
    Context ctx;
    ctx.pool = &pool;
    fn(ctx, threads);
  }
}

}  // namespace

TEST(permute_matches_reference_on_awkward_shapes) {
  std::vector<std::vector<int64_t>> shapes = {
      {}, {5}, {1, 1}, {3, 7}, {1, 37}, {37, 1}, {67, 45}, {2, 3, 5}, {4, 1, 6}, {3, 33, 65},
      {2, 3, 4, 5}, {2, 17, 9, 7}, {1, 3, 1, 5, 1}, {2, 2, 3, 2, 3, 2}, {0, 3}, {3, 0, 2},
      {2, 1, 2, 1, 2, 1, 2, 3}};
  with_threads([&](Context& ctx, int threads) {
    for (auto& shape : shapes) {
      int rank = static_cast<int>(shape.size());
      size_t n = 1;
      for (auto s : shape) n *= static_cast<size_t>(s);
      auto x = iota_floats(n);
      std::vector<int> perm(rank);
      std::iota(perm.begin(), perm.end(), 0);
      // Every permutation for rank <= 4, a sample for larger ranks.
      int count = 0;
      do {
        if (rank > 4 && (count++ % 97) != 0) continue;
        std::vector<float> out(n, -999.0f);
        permute_f32(ctx, x.data(), shape.data(), perm.data(), rank, out.data());
        auto ref = permute_reference(x, shape, perm);
        bool same = out == ref;
        CHECK(same) << "rank " << rank << " threads " << threads << " first size " << (rank ? shape[0] : 0);
      } while (std::next_permutation(perm.begin(), perm.end()));
    }
  });
}

TEST(permute_large_transpose_uses_threads_correctly) {
  std::vector<int64_t> shape = {3, 301, 517};
  size_t n = 3 * 301 * 517;
  auto x = iota_floats(n);
  std::vector<int> perm = {0, 2, 1};
  auto ref = permute_reference(x, shape, perm);
  with_threads([&](Context& ctx, int threads) {
    std::vector<float> out(n);
    permute_f32(ctx, x.data(), shape.data(), perm.data(), 3, out.data());
    CHECK(out == ref) << "threads " << threads;
    // NCHW -> NHWC style: inner contiguous runs are moved whole.
    std::vector<int64_t> s4 = {2, 64, 33, 17};
    size_t n4 = 2 * 64 * 33 * 17;
    auto x4 = iota_floats(n4);
    std::vector<int> p4 = {0, 2, 3, 1};
    std::vector<float> o4(n4);
    permute_f32(ctx, x4.data(), s4.data(), p4.data(), 4, o4.data());
    CHECK(o4 == permute_reference(x4, s4, p4)) << "threads " << threads;
  });
}

TEST(gather_and_scatter_add_rows) {
  std::mt19937 rng(7);
  with_threads([&](Context& ctx, int threads) {
    for (size_t rows : {1, 5, 97}) {
      for (size_t cols : {0, 1, 3, 17, 1000}) {
        for (size_t count : {0, 1, 13, 200}) {
          auto table = iota_floats(rows * cols);
          std::vector<int32_t> idx(count);
          for (auto& i : idx) i = static_cast<int32_t>(rng() % rows);
          CHECK(find_bad_row_index(idx.data(), count, rows) == -1);
          std::vector<float> out(count * cols, -1.0f);
          gather_rows_f32(ctx, table.data(), cols, idx.data(), count, out.data());
          bool ok = true;
          for (size_t i = 0; i < count; ++i)
            for (size_t c = 0; c < cols; ++c) ok &= out[i * cols + c] == table[idx[i] * cols + c];
          CHECK(ok) << "gather rows " << rows << " cols " << cols << " count " << count << " threads " << threads;

          std::vector<float> gtable(rows * cols, 0.25f);
          std::vector<double> ref(rows * cols, 0.25);
          scatter_add_rows_f32(ctx, out.data(), idx.data(), count, cols, gtable.data());
          for (size_t i = 0; i < count; ++i)
            for (size_t c = 0; c < cols; ++c) ref[idx[i] * cols + c] += out[i * cols + c];
          double worst = 0;
          for (size_t i = 0; i < rows * cols; ++i) worst = std::max(worst, std::abs(ref[i] - gtable[i]));
          CHECK(worst < 1e-3) << "scatter rows " << rows << " cols " << cols << " err " << worst;
        }
      }
    }
  });
}

TEST(find_bad_row_index_reports_first) {
  std::vector<int32_t> idx = {0, 2, 5, -1, 9};
  CHECK(find_bad_row_index(idx.data(), idx.size(), 5) == 2);
  CHECK(find_bad_row_index(idx.data(), 2, 3) == -1);
  CHECK(find_bad_row_index(idx.data() + 3, 1, 100) == 0);
}

TEST(copy_blocks_strided) {
  with_threads([&](Context& ctx, int threads) {
    struct Case { size_t blocks, len, src_stride, dst_stride; };
    for (Case c : {Case{0, 4, 4, 4}, Case{3, 0, 1, 1}, Case{1, 1, 1, 1}, Case{7, 5, 11, 13},
                   Case{100, 3, 3, 9}, Case{2, 70001, 70001, 80000}, Case{5, 40000, 90000, 40000}}) {
      size_t src_n = c.blocks ? (c.blocks - 1) * c.src_stride + c.len + 3 : 3;
      size_t dst_n = c.blocks ? (c.blocks - 1) * c.dst_stride + c.len + 2 : 2;
      auto src = iota_floats(src_n);
      std::vector<float> dst(dst_n, -5.0f), ref(dst_n, -5.0f);
      copy_blocks_f32(ctx, src.data() + 3, c.src_stride, dst.data() + 2, c.dst_stride, c.blocks, c.len);
      for (size_t b = 0; b < c.blocks; ++b)
        for (size_t i = 0; i < c.len; ++i) ref[2 + b * c.dst_stride + i] = src[3 + b * c.src_stride + i];
      CHECK(dst == ref) << "blocks " << c.blocks << " len " << c.len << " threads " << threads;
    }
  });
}
