// gemm(transA, transB, m, n, k, alpha, a, lda, strideA, b, ldb, strideB,
//      beta, c, ldc, strideC, batch)
// Strided batched C_i = alpha·op(A_i)·op(B_i) + beta·C_i for i < batch; a
// stride of 0 reuses one matrix for every batch entry (broadcasting).
#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "gemm/gemm.h"

namespace dendrite::addon {
namespace {

// Elements a rows×cols row-major matrix with leading dimension ld spans.
size_t matrix_span(const ArgReader& args, size_t rows, size_t cols, size_t ld, const char* name) {
  if (rows == 0 || cols == 0) return 0;
  if (ld < cols) {
    args.range_error(std::string("gemm: leading dimension of '") + name + "' (" + std::to_string(ld) +
                     ") is smaller than its row length (" + std::to_string(cols) + ")");
  }
  return args.multiply(rows - 1, ld, name) + cols;
}

size_t batch_span(const ArgReader& args, size_t span, size_t stride, size_t batch, const char* name) {
  if (span == 0 || batch == 0) return 0;
  return args.multiply(batch - 1, stride, name) + span;
}

Napi::Value gemm(const Napi::CallbackInfo& info) {
  ArgReader args(info, "gemm", 17);
  bool trans_a = args.boolean(0, "transA");
  bool trans_b = args.boolean(1, "transB");
  size_t m = args.size(2, "m"), n = args.size(3, "n"), k = args.size(4, "k");
  float alpha = static_cast<float>(args.finite_number(5, "alpha"));
  auto a = args.float32_array(6, "a");
  size_t lda = args.size(7, "lda"), stride_a = args.size(8, "strideA");
  auto b = args.float32_array(9, "b");
  size_t ldb = args.size(10, "ldb"), stride_b = args.size(11, "strideB");
  float beta = static_cast<float>(args.finite_number(12, "beta"));
  auto c = args.float32_array(13, "c");
  size_t ldc = args.size(14, "ldc"), stride_c = args.size(15, "strideC");
  size_t batch = args.size(16, "batch");

  size_t span_a = trans_a ? matrix_span(args, k, m, lda, "a") : matrix_span(args, m, k, lda, "a");
  size_t span_b = trans_b ? matrix_span(args, n, k, ldb, "b") : matrix_span(args, k, n, ldb, "b");
  size_t span_c = matrix_span(args, m, n, ldc, "c");
  args.require_length(a, batch_span(args, span_a, stride_a, batch, "a"), "a");
  args.require_length(b, batch_span(args, span_b, stride_b, batch, "b"), "b");
  args.require_length(c, batch_span(args, span_c, stride_c, batch, "c"), "c");
  if (batch > 1 && stride_c < span_c && m > 0 && n > 0) {
    args.range_error("gemm: argument 'strideC' makes output matrices overlap");
  }

  AddonData& data = AddonData::of(info.Env());
  Context ctx = data.context();
  gemm_f32_batched(ctx, trans_a, trans_b, m, n, k, alpha, a.data, lda, stride_a, b.data, ldb, stride_b,
                   beta, c.data, ldc, stride_c, batch);
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

}  // namespace

void register_gemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", make_function(env, "gemm", gemm));
}

}  // namespace dendrite::addon
