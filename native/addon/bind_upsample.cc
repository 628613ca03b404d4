// Resizing (family `upsample`), NCHW, with PyTorch's coordinate rules:
//   upsampleNearest2dForward(x, out, n, c, h, w, oh, ow, scaleH, scaleW)
//   upsampleNearest2dBackward(gy, gx, n, c, h, w, oh, ow, scaleH, scaleW)
//   upsampleBilinear2dForward(x, out, n, c, h, w, oh, ow, alignCorners, scaleH, scaleW)
//   upsampleBilinear2dBackward(gy, gx, n, c, h, w, oh, ow, alignCorners, scaleH, scaleW)
// scaleH and scaleW are the scale factors the caller gave (source coordinates
// then use 1/scale), or null when the output size alone sets them (in/out).
#include <string>

#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "plane_args.h"
#include "upsample/upsample2d.h"

namespace dendrite::addon {
namespace {

enum class Mode { Nearest, Bilinear };

const char* function_name(Mode mode, bool forward) {
  if (mode == Mode::Nearest) return forward ? "upsampleNearest2dForward" : "upsampleNearest2dBackward";
  return forward ? "upsampleBilinear2dForward" : "upsampleBilinear2dBackward";
}

// A positive finite scale factor, or 0 for null/undefined.
double read_scale(const ArgReader& args, size_t index, const char* fn, const char* name) {
  if (args.is_absent(index)) return 0.0;
  const double v = args.finite_number(index, name);
  if (!(v > 0.0)) {
    args.range_error(std::string(fn) + ": argument '" + name + "' must be a positive number or null, got " +
                     std::to_string(v));
  }
  return v;
}

// Forward and backward of both modes take the same arguments: the source
// buffer, the destination buffer, then the geometry.
template <Mode kMode, bool kForward>
Napi::Value upsample2d(const Napi::CallbackInfo& info) {
  const char* fn = function_name(kMode, kForward);
  const size_t scales_at = kMode == Mode::Bilinear ? 9 : 8;
  ArgReader args(info, fn, scales_at + 2);
  auto src = args.float32_array(0, kForward ? "x" : "gy");
  auto dst = args.float32_array(1, kForward ? "out" : "gx");
  Upsample2dGeometry g;
  g.n = args.size(2, "n"), g.c = args.size(3, "c"), g.h = args.size(4, "h"), g.w = args.size(5, "w");
  g.oh = args.size(6, "oh"), g.ow = args.size(7, "ow");
  require_positive(args, fn, "h", g.h);
  require_positive(args, fn, "w", g.w);
  require_positive(args, fn, "oh", g.oh);
  require_positive(args, fn, "ow", g.ow);
  if (kMode == Mode::Bilinear) g.align_corners = args.boolean(8, "alignCorners");
  g.scale_h = read_scale(args, scales_at, fn, "scaleH");
  g.scale_w = read_scale(args, scales_at + 1, fn, "scaleW");
  const PlaneSizes s = plane_sizes(args, g.n, g.c, g.h, g.w, g.oh, g.ow);
  check_source_and_destination(args, fn, kForward, src, dst, s);
  // The per-axis tables are sized by oh and ow: with no planes there is nothing to do, and
  // otherwise the buffers bound them.
  if (s.planes == 0) return info.Env().Undefined();
  Context ctx = AddonData::of(info.Env()).context();
  if (kMode == Mode::Nearest) {
    (kForward ? upsample_nearest2d_forward : upsample_nearest2d_backward)(ctx, g, src.data, dst.data);
  } else {
    (kForward ? upsample_bilinear2d_forward : upsample_bilinear2d_backward)(ctx, g, src.data, dst.data);
  }
  return info.Env().Undefined();
}

}  // namespace

void register_upsample(Napi::Env env, Napi::Object exports) {
  exports.Set("upsampleNearest2dForward", make_function(env, "upsampleNearest2dForward", upsample2d<Mode::Nearest, true>));
  exports.Set("upsampleNearest2dBackward", make_function(env, "upsampleNearest2dBackward", upsample2d<Mode::Nearest, false>));
  exports.Set("upsampleBilinear2dForward", make_function(env, "upsampleBilinear2dForward", upsample2d<Mode::Bilinear, true>));
  exports.Set("upsampleBilinear2dBackward", make_function(env, "upsampleBilinear2dBackward", upsample2d<Mode::Bilinear, false>));
}

}  // namespace dendrite::addon
