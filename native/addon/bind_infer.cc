// Inference programs (family `infer`): the fused layers of a model run in one
// call, so that a small batch pays one crossing of the Node-API boundary,
// not one per layer.
//
//   inferRun(program: Int32Array, ...buffers: Float32Array[])
//
// program = [1 (the format), steps, then `steps` records of 24 int32]:
//   [kind, input, weight, bias, output, 19 parameters]
// where input … output index the buffers that follow the program (bias −1:
// none), and
//   kind 1, convolution (+ bias, ReLU, max-pool), NCHW input, OIHW weight:
//     n c h w o kh kw strideH strideW padH padW dilationH dilationW groups
//     relu poolKh poolKw poolStrideH poolStrideW
//     (poolKh 0: no pooling, and the other three must be 0 too); the output
//     is [n, o, ph, pw] with ph = floor((oh − poolKh) / poolStrideH) + 1, or
//     [n, o, oh, ow] without pooling;
//   kind 2, fully connected (+ bias, ReLU), weight [out, in]:
//     batch in out relu, then 15 zeros; the output is [batch, out].
// relu is 0 or 1. Every step is checked before the first one runs; a step's
// output must not overlap its input, weight or bias. Steps run in order.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "infer/conv_infer.h"
#include "infer/linear_infer.h"

namespace dendrite::addon {
namespace {

constexpr int32_t kFormat = 1;
constexpr size_t kRecord = 24, kHeader = 2, kParameters = 19;
enum StepKind : int32_t { kConvolution = 1, kLinear = 2 };

struct Step {
  int32_t kind;
  const float* x;
  const float* w;
  const float* bias;
  float* out;
  Conv2dGeometry conv;
  infer::ConvEpilogue epilogue;
  infer::LinearTask linear;
};

class ProgramReader {
 public:
  // The buffers are the call's arguments from `first_buffer` on; each is
  // read once, when a step first names it.
  ProgramReader(const ArgReader& args, const Napi::CallbackInfo& info, std::vector<int32_t> program, size_t first_buffer)
      : args_(args), info_(info), program_(std::move(program)), first_buffer_(first_buffer),
        buffers_(info.Length() - first_buffer) {}

  std::vector<Step> read() {
    if (program_.size() < kHeader) fail("'program' needs at least 2 elements (format, steps)");
    if (program_[0] != kFormat) fail("'program' is in format " + std::to_string(program_[0]) + "; this addon reads format 1");
    const int32_t steps = program_[1];
    if (steps < 0) fail("'program' declares " + std::to_string(steps) + " steps");
    if (program_.size() - kHeader < static_cast<size_t>(steps) * kRecord) {
      fail("'program' declares " + std::to_string(steps) + " steps, which need " +
           std::to_string(kHeader + static_cast<size_t>(steps) * kRecord) + " elements; it has " + std::to_string(program_.size()));
    }
    std::vector<Step> out;
    out.reserve(static_cast<size_t>(steps));
    for (int32_t s = 0; s < steps; ++s) out.push_back(step(static_cast<size_t>(s)));
    return out;
  }

 private:
  [[noreturn]] void fail(const std::string& message) const { args_.range_error("inferRun: " + message); }

  std::string where() const { return "step " + std::to_string(step_) + " (" + std::string(kind_) + "): "; }

  // Parameter i of the current record, checked non-negative.
  size_t param(size_t i, const char* name) const {
    const int32_t v = record_[5 + i];
    if (v < 0) fail(where() + "'" + name + "' must be non-negative, got " + std::to_string(v));
    return static_cast<size_t>(v);
  }

  size_t positive(size_t i, const char* name) const {
    const size_t v = param(i, name);
    if (v == 0) fail(where() + "'" + name + "' must be at least 1, got 0");
    return v;
  }

  bool flag(size_t i, const char* name) const {
    const size_t v = param(i, name);
    if (v > 1) fail(where() + "'" + name + "' must be 0 or 1, got " + std::to_string(v));
    return v == 1;
  }

  // The Float32Array in slot `field` of the record (input, weight, bias, output).
  ArrayArg<float> buffer(size_t field, const char* name) {
    const int32_t slot = record_[field];
    if (slot < 0 || static_cast<size_t>(slot) >= buffers_.size()) {
      fail(where() + "the " + name + " slot " + std::to_string(slot) + " names no buffer (" +
           std::to_string(buffers_.size()) + " follow the program)");
    }
    Slot& b = buffers_[static_cast<size_t>(slot)];
    if (!b.read) {
      napi_typedarray_type type;
      size_t length = 0;
      void* data = nullptr;
      const napi_status status = napi_get_typedarray_info(info_.Env(), info_[first_buffer_ + static_cast<size_t>(slot)],
                                                          &type, &length, &data, nullptr, nullptr);
      if (status != napi_ok || type != napi_float32_array) {
        args_.type_error("inferRun: " + where() + "buffer " + std::to_string(slot) + " (the " + name + ") must be a Float32Array");
      }
      b.array.length = length;
      if (length > 0) b.array.data = static_cast<float*>(data);
      b.read = true;
    }
    return b.array;
  }

  const float* checked(size_t field, const char* name, size_t needed) {
    const ArrayArg<float> a = buffer(field, name);
    if (a.length < needed) {
      fail(where() + "the " + name + " (buffers[" + std::to_string(record_[field]) + "]) needs at least " +
           std::to_string(needed) + " elements, got " + std::to_string(a.length));
    }
    return a.data;
  }

  void read_buffers(Step& s, size_t x_len, size_t w_len, size_t bias_len, size_t out_len) {
    s.x = checked(1, "input", x_len);
    s.w = checked(2, "weight", w_len);
    s.bias = record_[3] == -1 ? nullptr : checked(3, "bias", bias_len);
    s.out = const_cast<float*>(checked(4, "output", out_len));
    const auto overlaps = [&](const float* a, size_t a_len) {
      return a != nullptr && s.out != nullptr && a_len > 0 && out_len > 0 && a < s.out + out_len && s.out < a + a_len;
    };
    if (overlaps(s.x, x_len) || overlaps(s.w, w_len) || overlaps(s.bias, bias_len)) {
      fail(where() + "the output overlaps the input, the weight or the bias");
    }
  }

  Step step(size_t index) {
    step_ = index;
    record_ = program_.data() + kHeader + index * kRecord;
    Step s{};
    s.kind = record_[0];
    if (s.kind == kConvolution) {
      kind_ = "convolution";
      convolution(s);
    } else if (s.kind == kLinear) {
      kind_ = "linear";
      linear(s);
    } else {
      kind_ = "?";
      fail(where() + "unknown kind " + std::to_string(s.kind) + " (1: convolution, 2: linear)");
    }
    return s;
  }

  void convolution(Step& s) {
    Conv2dGeometry& g = s.conv;
    g.n = param(0, "n"), g.c = param(1, "c"), g.h = param(2, "h"), g.w = param(3, "w"), g.o = param(4, "o");
    g.kh = positive(5, "kh"), g.kw = positive(6, "kw");
    g.stride_h = positive(7, "strideH"), g.stride_w = positive(8, "strideW");
    g.pad_h = param(9, "padH"), g.pad_w = param(10, "padW");
    g.dilation_h = positive(11, "dilationH"), g.dilation_w = positive(12, "dilationW");
    g.groups = positive(13, "groups");
    if (g.c % g.groups != 0 || g.o % g.groups != 0) {
      fail(where() + "'groups' (" + std::to_string(g.groups) + ") must divide c (" + std::to_string(g.c) + ") and o (" +
           std::to_string(g.o) + ")");
    }
    if (!conv2d_geometry_resolve(g)) fail(where() + "the dilated kernel does not fit the padded input: the output would be empty");
    infer::ConvEpilogue& e = s.epilogue;
    e.relu = flag(14, "relu");
    infer::PoolWindow& p = e.pool;
    p.kh = param(15, "poolKh"), p.kw = param(16, "poolKw"), p.stride_h = param(17, "poolStrideH"), p.stride_w = param(18, "poolStrideW");
    size_t ph = g.oh, pw = g.ow;
    if (p.kh == 0) {
      if (p.kw != 0 || p.stride_h != 0 || p.stride_w != 0) fail(where() + "without pooling (poolKh 0) the other pool parameters must be 0");
      p = infer::PoolWindow{};
    } else if (!infer::pool_extent(g.oh, p.kh, p.stride_h, &ph) || !infer::pool_extent(g.ow, p.kw, p.stride_w, &pw)) {
      fail(where() + "the " + std::to_string(p.kh) + "x" + std::to_string(p.kw) + " pool window (stride " +
           std::to_string(p.stride_h) + ", " + std::to_string(p.stride_w) + ") does not fit the " + std::to_string(g.oh) + "x" +
           std::to_string(g.ow) + " output");
    }
    const size_t x_len = args_.multiply(args_.multiply(args_.multiply(g.n, g.c, "n·c"), g.h, "n·c·h"), g.w, "input size n·c·h·w");
    const size_t w_len = args_.multiply(args_.multiply(g.o, g.group_channels(), "o·c/groups"), args_.multiply(g.kh, g.kw, "kh·kw"), "weight size");
    const size_t out_len = args_.multiply(args_.multiply(args_.multiply(g.n, g.o, "n·o"), ph, "n·o·ph"), pw, "output size");
    args_.multiply(args_.multiply(args_.multiply(g.n, g.o, "n·o"), g.oh, "n·o·oh"), g.ow, "convolution size n·o·oh·ow");
    read_buffers(s, x_len, w_len, g.o, out_len);
    e.bias = s.bias;
  }

  void linear(Step& s) {
    infer::LinearTask& t = s.linear;
    t.batch = param(0, "batch"), t.in = param(1, "in"), t.out = param(2, "out");
    t.relu = flag(3, "relu");
    for (size_t i = 4; i < kParameters; ++i) {
      if (record_[5 + i] != 0) fail(where() + "parameter " + std::to_string(i) + " must be 0");
    }
    const size_t x_len = args_.multiply(t.batch, t.in, "batch·in"), w_len = args_.multiply(t.out, t.in, "out·in");
    const size_t y_len = args_.multiply(t.batch, t.out, "batch·out");
    read_buffers(s, x_len, w_len, t.out, y_len);
    t.x = s.x, t.w = s.w, t.bias = s.bias, t.y = s.out;
  }

  struct Slot {
    bool read = false;
    ArrayArg<float> array;
  };

  const ArgReader& args_;
  const Napi::CallbackInfo& info_;
  const std::vector<int32_t> program_;
  const size_t first_buffer_;
  std::vector<Slot> buffers_;
  size_t step_ = 0;
  const int32_t* record_ = nullptr;
  const char* kind_ = "";
};

Napi::Value infer_run(const Napi::CallbackInfo& info) {
  const char* fn = "inferRun";
  ArgReader args(info, fn, 1);
  const ArrayArg<int32_t> program = args.int32_array(0, "program");
  std::vector<int32_t> copy(program.data, program.data + program.length);
  const std::vector<Step> steps = ProgramReader(args, info, std::move(copy), 1).read();
  AddonData& data = AddonData::of(info.Env());
  const Context ctx = data.context();
  for (const Step& s : steps) {
    if (s.kind == kConvolution) {
      infer::conv2d_infer(ctx, s.conv, s.x, s.w, s.epilogue, s.out);
    } else {
      infer::linear_infer(ctx, s.linear);
    }
  }
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

}  // namespace

void register_infer(Napi::Env env, Napi::Object exports) {
  exports.Set("inferRun", make_function(env, "inferRun", infer_run));
}

}  // namespace dendrite::addon
