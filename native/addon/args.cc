#include "args.h"

#include <cmath>
#include <new>
#include <stdexcept>

namespace dendrite::addon {

namespace {
constexpr double kMaxSafeInteger = 9007199254740991.0;  // 2^53 - 1

template <class T, napi_typedarray_type Type>
ArrayArg<T> typed_array(const ArgReader& reader, const Napi::Value& v, const std::string& prefix,
                        const char* expected) {
  if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != Type) {
    reader.type_error(prefix + " must be a " + expected);
  }
  // The typed array's own info gives its data pointer (offset included) whether
  // it views an ArrayBuffer or a SharedArrayBuffer; asking for its ArrayBuffer
  // object fails for a shared one, and workers share data that way.
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  napi_status status = napi_get_typedarray_info(v.Env(), v, &type, &length, &data, nullptr, nullptr);
  if (status != napi_ok) reader.type_error(prefix + " could not be read as a " + expected);
  ArrayArg<T> out;
  out.length = length;
  if (length > 0) out.data = static_cast<T*>(data);
  return out;
}
}  // namespace

ArgReader::ArgReader(const Napi::CallbackInfo& info, const char* function, size_t expected_count)
    : info_(info), function_(function) {
  if (info.Length() < expected_count) {
    type_error(std::string(function) + ": expected " + std::to_string(expected_count) +
               " arguments, got " + std::to_string(info.Length()));
  }
}

std::string ArgReader::prefix(const char* name) const {
  return std::string(function_) + ": argument '" + name + "'";
}

void ArgReader::type_error(const std::string& message) const {
  throw Napi::TypeError::New(info_.Env(), message);
}

void ArgReader::range_error(const std::string& message) const {
  throw Napi::RangeError::New(info_.Env(), message);
}

void ArgReader::fail_length(const char* name, size_t needed, size_t got) const {
  range_error(prefix(name) + " needs at least " + std::to_string(needed) + " elements, got " +
              std::to_string(got));
}

ArrayArg<float> ArgReader::float32_array(size_t index, const char* name) const {
  return typed_array<float, napi_float32_array>(*this, at(index), prefix(name), "Float32Array");
}

ArrayArg<int32_t> ArgReader::int32_array(size_t index, const char* name) const {
  return typed_array<int32_t, napi_int32_array>(*this, at(index), prefix(name), "Int32Array");
}

ArrayArg<uint8_t> ArgReader::uint8_array(size_t index, const char* name) const {
  return typed_array<uint8_t, napi_uint8_array>(*this, at(index), prefix(name), "Uint8Array");
}

ArrayArg<uint32_t> ArgReader::uint32_array(size_t index, const char* name) const {
  return typed_array<uint32_t, napi_uint32_array>(*this, at(index), prefix(name), "Uint32Array");
}

size_t ArgReader::size(size_t index, const char* name, size_t max) const {
  Napi::Value v = at(index);
  if (!v.IsNumber()) type_error(prefix(name) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d)) {
    range_error(prefix(name) + " must be a non-negative integer, got " + std::to_string(d));
  }
  if (d < 0) range_error(prefix(name) + " must be non-negative, got " + std::to_string(d));
  if (d > kMaxSafeInteger || d > static_cast<double>(max)) {
    range_error(prefix(name) + " is too large (" + std::to_string(d) + " > " + std::to_string(max) + ")");
  }
  return static_cast<size_t>(d);
}

int64_t ArgReader::integer(size_t index, const char* name, int64_t min, int64_t max) const {
  Napi::Value v = at(index);
  if (!v.IsNumber()) type_error(prefix(name) + " must be a number");
  double d = v.As<Napi::Number>().DoubleValue();
  if (!std::isfinite(d) || d != std::floor(d)) {
    range_error(prefix(name) + " must be an integer, got " + std::to_string(d));
  }
  if (d < static_cast<double>(min) || d > static_cast<double>(max)) {
    range_error(prefix(name) + " must be in [" + std::to_string(min) + ", " + std::to_string(max) +
                "], got " + std::to_string(d));
  }
  return static_cast<int64_t>(d);
}

double ArgReader::number(size_t index, const char* name) const {
  Napi::Value v = at(index);
  if (!v.IsNumber()) type_error(prefix(name) + " must be a number");
  return v.As<Napi::Number>().DoubleValue();
}

double ArgReader::finite_number(size_t index, const char* name) const {
  double d = number(index, name);
  if (!std::isfinite(d)) range_error(prefix(name) + " must be finite, got " + std::to_string(d));
  return d;
}

bool ArgReader::is_absent(size_t index) const {
  Napi::Value v = at(index);
  return v.IsNull() || v.IsUndefined();
}

bool ArgReader::boolean(size_t index, const char* name) const {
  Napi::Value v = at(index);
  if (!v.IsBoolean()) type_error(prefix(name) + " must be a boolean");
  return v.As<Napi::Boolean>().Value();
}

std::string ArgReader::string(size_t index, const char* name) const {
  Napi::Value v = at(index);
  if (!v.IsString()) type_error(prefix(name) + " must be a string");
  return v.As<Napi::String>().Utf8Value();
}

size_t ArgReader::multiply(size_t a, size_t b, const char* what) const {
  if (a != 0 && b > kMaxElements / a) {
    range_error(std::string(function_) + ": " + what + " is too large (" + std::to_string(a) + " x " +
                std::to_string(b) + ")");
  }
  return a * b;
}

namespace {
Napi::Value call_guarded(const Napi::CallbackInfo& info) {
  auto binding = reinterpret_cast<Binding>(info.Data());
  try {
    return binding(info);
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(info.Env(), "dendrite: out of memory for this operation");
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("dendrite: ") + e.what());
  }
}
}  // namespace

Napi::Function make_function(Napi::Env env, const char* name, Binding binding) {
  return Napi::Function::New(env, call_guarded, name, reinterpret_cast<void*>(binding));
}

}  // namespace dendrite::addon
