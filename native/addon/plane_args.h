// Argument helpers shared by the bindings over NCHW planes (pooling and
// resizing): plane sizes, total element counts and buffer overlap.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "args.h"

namespace dendrite::addon {

// Whether two byte ranges share a byte (empty ranges never do).
inline bool buffers_overlap(const void* a, size_t a_bytes, const void* b, size_t b_bytes) {
  auto a0 = reinterpret_cast<uintptr_t>(a), b0 = reinterpret_cast<uintptr_t>(b);
  return a_bytes > 0 && b_bytes > 0 && a0 < b0 + b_bytes && b0 < a0 + a_bytes;
}

struct PlaneSizes {
  size_t planes, input, output;  // n·c, n·c·h·w and n·c·oh·ow
};

// The element counts of [n, c, h, w] and [n, c, oh, ow], each within kMaxElements.
inline PlaneSizes plane_sizes(const ArgReader& args, size_t n, size_t c, size_t h, size_t w, size_t oh, size_t ow) {
  const size_t planes = args.multiply(n, c, "n·c");
  return {planes, args.multiply(planes, args.multiply(h, w, "h·w"), "input size n·c·h·w"),
          args.multiply(planes, args.multiply(oh, ow, "oh·ow"), "output size n·c·oh·ow")};
}

// The buffers of a binding that reads one array and writes another: forward
// reads x [input elements] and writes out [output elements], backward reads gy
// [output] and writes gx [input]. Checks their lengths and that they do not
// overlap; returns nothing, throws naming the arguments.
inline void check_source_and_destination(const ArgReader& args, const char* fn, bool forward, const ArrayArg<float>& src,
                                         const ArrayArg<float>& dst, const PlaneSizes& s) {
  const size_t src_n = forward ? s.input : s.output, dst_n = forward ? s.output : s.input;
  args.require_length(src, src_n, forward ? "x" : "gy");
  args.require_length(dst, dst_n, forward ? "out" : "gx");
  if (buffers_overlap(dst.data, dst_n * sizeof(float), src.data, src_n * sizeof(float))) {
    args.range_error(std::string(fn) + (forward ? ": argument 'out' overlaps argument 'x'" : ": argument 'gx' overlaps argument 'gy'"));
  }
}

// RangeError naming `name` unless `value` >= 1.
inline void require_positive(const ArgReader& args, const char* fn, const char* name, size_t value) {
  if (value == 0) args.range_error(std::string(fn) + ": argument '" + name + "' must be at least 1, got 0");
}

}  // namespace dendrite::addon
