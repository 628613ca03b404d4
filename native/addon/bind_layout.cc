// Data movement for tensor layout ops (family `layout`):
//   permute(x, shape: Int32Array, perm: Int32Array, out)
//   gatherRows(table, rows, cols, indices: Int32Array, out)
//   scatterAddRows(gy, indices: Int32Array, cols, gtable, rows)
//   copyBlocks(src, srcOffset, dst, dstOffset, blocks, blockLen, srcStride, dstStride)
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "layout/copy_blocks.h"
#include "layout/permute.h"
#include "layout/rows.h"

namespace dendrite::addon {
namespace {

template <class A, class B>
bool overlaps(const A* a, size_t a_len, const B* b, size_t b_len) {
  auto a0 = reinterpret_cast<uintptr_t>(a), b0 = reinterpret_cast<uintptr_t>(b);
  return a_len > 0 && b_len > 0 && a0 < b0 + b_len * sizeof(B) && b0 < a0 + a_len * sizeof(A);
}

Napi::Value permute(const Napi::CallbackInfo& info) {
  ArgReader args(info, "permute", 4);
  auto x = args.float32_array(0, "x");
  auto shape = args.int32_array(1, "shape");
  auto perm = args.int32_array(2, "perm");
  auto out = args.float32_array(3, "out");
  if (shape.length > static_cast<size_t>(kMaxPermuteRank)) {
    args.range_error("permute: argument 'shape' has rank " + std::to_string(shape.length) + ", at most " +
                     std::to_string(kMaxPermuteRank) + " is supported");
  }
  if (perm.length != shape.length) {
    args.range_error("permute: argument 'perm' has " + std::to_string(perm.length) +
                     " entries but 'shape' has rank " + std::to_string(shape.length));
  }
  int rank = static_cast<int>(shape.length);
  int64_t dims[kMaxPermuteRank];
  int axes[kMaxPermuteRank];
  bool seen[kMaxPermuteRank] = {};
  size_t total = 1;
  for (int d = 0; d < rank; ++d) {
    if (shape.data[d] < 0) {
      args.range_error("permute: argument 'shape' has a negative size " + std::to_string(shape.data[d]) +
                       " at axis " + std::to_string(d));
    }
    dims[d] = shape.data[d];
    total = args.multiply(total, static_cast<size_t>(dims[d]), "shape");
    int a = perm.data[d];
    if (a < 0 || a >= rank || seen[a]) {
      args.range_error("permute: argument 'perm' is not a permutation of 0.." + std::to_string(rank - 1) +
                       " (entry " + std::to_string(d) + " is " + std::to_string(a) + ")");
    }
    seen[a] = true;
    axes[d] = a;
  }
  args.require_length(x, total, "x");
  args.require_length(out, total, "out");
  if (overlaps(x.data, total, out.data, total)) args.range_error("permute: 'x' and 'out' overlap");
  AddonData& data = AddonData::of(info.Env());
  permute_f32(data.context(), x.data, dims, axes, rank, out.data);
  return info.Env().Undefined();
}

Napi::Value gather_rows(const Napi::CallbackInfo& info) {
  ArgReader args(info, "gatherRows", 5);
  auto table = args.float32_array(0, "table");
  size_t rows = args.size(1, "rows");
  size_t cols = args.size(2, "cols");
  auto indices = args.int32_array(3, "indices");
  auto out = args.float32_array(4, "out");
  args.require_length(table, args.multiply(rows, cols, "table size"), "table");
  args.require_length(out, args.multiply(indices.length, cols, "output size"), "out");
  int64_t bad = find_bad_row_index(indices.data, indices.length, rows);
  if (bad >= 0) {
    args.range_error("gatherRows: index " + std::to_string(indices.data[bad]) + " at position " +
                     std::to_string(bad) + " is out of range for " + std::to_string(rows) + " rows");
  }
  if (overlaps(table.data, rows * cols, out.data, indices.length * cols)) {
    args.range_error("gatherRows: 'table' and 'out' overlap");
  }
  AddonData& data = AddonData::of(info.Env());
  gather_rows_f32(data.context(), table.data, cols, indices.data, indices.length, out.data);
  return info.Env().Undefined();
}

Napi::Value scatter_add_rows(const Napi::CallbackInfo& info) {
  ArgReader args(info, "scatterAddRows", 5);
  auto gy = args.float32_array(0, "gy");
  auto indices = args.int32_array(1, "indices");
  size_t cols = args.size(2, "cols");
  auto gtable = args.float32_array(3, "gtable");
  size_t rows = args.size(4, "rows");
  args.require_length(gy, args.multiply(indices.length, cols, "gradient size"), "gy");
  args.require_length(gtable, args.multiply(rows, cols, "table size"), "gtable");
  int64_t bad = find_bad_row_index(indices.data, indices.length, rows);
  if (bad >= 0) {
    args.range_error("scatterAddRows: index " + std::to_string(indices.data[bad]) + " at position " +
                     std::to_string(bad) + " is out of range for " + std::to_string(rows) + " rows");
  }
  if (overlaps(gy.data, indices.length * cols, gtable.data, rows * cols)) {
    args.range_error("scatterAddRows: 'gy' and 'gtable' overlap");
  }
  AddonData& data = AddonData::of(info.Env());
  scatter_add_rows_f32(data.context(), gy.data, indices.data, indices.length, cols, gtable.data);
  return info.Env().Undefined();
}

// Elements spanned by `blocks` runs of `len` spaced `stride` apart, starting at `offset`.
size_t block_span(const ArgReader& args, size_t offset, size_t blocks, size_t len, size_t stride,
                  const char* name) {
  if (blocks == 0 || len == 0) return 0;
  size_t last = args.multiply(blocks - 1, stride, name);
  size_t end = offset + last + len;
  if (end > kMaxElements) args.range_error(std::string("copyBlocks: '") + name + "' range is too large");
  return end;
}

Napi::Value copy_blocks(const Napi::CallbackInfo& info) {
  ArgReader args(info, "copyBlocks", 8);
  auto src = args.float32_array(0, "src");
  size_t src_offset = args.size(1, "srcOffset");
  auto dst = args.float32_array(2, "dst");
  size_t dst_offset = args.size(3, "dstOffset");
  size_t blocks = args.size(4, "blocks");
  size_t block_len = args.size(5, "blockLen");
  size_t src_stride = args.size(6, "srcStride");
  size_t dst_stride = args.size(7, "dstStride");
  size_t src_end = block_span(args, src_offset, blocks, block_len, src_stride, "src");
  size_t dst_end = block_span(args, dst_offset, blocks, block_len, dst_stride, "dst");
  args.require_length(src, src_end, "src");
  args.require_length(dst, dst_end, "dst");
  if (blocks > 1 && dst_stride < block_len && block_len > 0) {
    args.range_error("copyBlocks: argument 'dstStride' (" + std::to_string(dst_stride) +
                     ") is smaller than 'blockLen' (" + std::to_string(block_len) + "), so blocks would overlap");
  }
  if (src_end == 0) return info.Env().Undefined();
  if (overlaps(src.data + src_offset, src_end - src_offset, dst.data + dst_offset, dst_end - dst_offset)) {
    args.range_error("copyBlocks: the 'src' and 'dst' ranges overlap");
  }
  AddonData& data = AddonData::of(info.Env());
  copy_blocks_f32(data.context(), src.data + src_offset, src_stride, dst.data + dst_offset, dst_stride, blocks,
                  block_len);
  return info.Env().Undefined();
}

}  // namespace

void register_layout(Napi::Env env, Napi::Object exports) {
  exports.Set("permute", make_function(env, "permute", permute));
  exports.Set("gatherRows", make_function(env, "gatherRows", gather_rows));
  exports.Set("scatterAddRows", make_function(env, "scatterAddRows", scatter_add_rows));
  exports.Set("copyBlocks", make_function(env, "copyBlocks", copy_blocks));
}

}  // namespace dendrite::addon
