// Argument checking at the Node-API boundary. Every binding reads its
// arguments through ArgReader, which throws a JS TypeError or RangeError that
// names the function and the argument; nothing a caller passes reaches a
// kernel unchecked.
#pragma once

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <string>

namespace dendrite::addon {

// Largest element count accepted anywhere: keeps byte counts far from size_t
// overflow and within what a typed array can hold.
constexpr size_t kMaxElements = size_t{1} << 40;

template <class T>
struct ArrayArg {
  T* data = nullptr;
  size_t length = 0;
};

class ArgReader {
 public:
  ArgReader(const Napi::CallbackInfo& info, const char* function, size_t expected_count);

  ArrayArg<float> float32_array(size_t index, const char* name) const;
  ArrayArg<int32_t> int32_array(size_t index, const char* name) const;
  ArrayArg<uint8_t> uint8_array(size_t index, const char* name) const;
  ArrayArg<uint32_t> uint32_array(size_t index, const char* name) const;
  // A non-negative integer no larger than `max`.
  size_t size(size_t index, const char* name, size_t max = kMaxElements) const;
  // Any integer in [min, max].
  int64_t integer(size_t index, const char* name, int64_t min, int64_t max) const;
  // Any number (NaN and infinities included: a gradient may be either).
  double number(size_t index, const char* name) const;
  // A finite number.
  double finite_number(size_t index, const char* name) const;
  bool boolean(size_t index, const char* name) const;
  // Whether an optional argument was left out (null or undefined).
  bool is_absent(size_t index) const;
  std::string string(size_t index, const char* name) const;

  // RangeError unless `array` holds at least `needed` elements.
  template <class T>
  void require_length(const ArrayArg<T>& array, size_t needed, const char* name) const {
    if (array.length < needed) fail_length(name, needed, array.length);
  }
  // a·b, or a RangeError naming `what` when it exceeds kMaxElements.
  size_t multiply(size_t a, size_t b, const char* what) const;

  [[noreturn]] void type_error(const std::string& message) const;
  [[noreturn]] void range_error(const std::string& message) const;

  Napi::Env env() const { return info_.Env(); }

 private:
  [[noreturn]] void fail_length(const char* name, size_t needed, size_t got) const;
  Napi::Value at(size_t index) const { return info_[index]; }
  std::string prefix(const char* name) const;

  const Napi::CallbackInfo& info_;
  const char* function_;
};

// Wraps a binding so C++ exceptions other than JS errors (std::bad_alloc and
// friends) become JS errors instead of terminating the process.
using Binding = Napi::Value (*)(const Napi::CallbackInfo&);
Napi::Function make_function(Napi::Env env, const char* name, Binding binding);

}  // namespace dendrite::addon
