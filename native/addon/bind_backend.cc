// Backend control: which ISA runs, how many threads, scratch memory.
#include "addon_data.h"
#include "args.h"
#include "bindings.h"
#include "memory/malloc_policy.h"

namespace dendrite::addon {
namespace {

// setNumThreads accepts at most this many threads per core the process may use.
constexpr int kThreadsPerCore = 4;

Napi::Value backend_info(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  AddonData& data = AddonData::of(env);
  Napi::Object out = Napi::Object::New(env);
  out.Set("isa", isa_name(data.isa));
  out.Set("bestIsa", isa_name(detect_best_isa()));
  out.Set("threads", data.pool.size());
  out.Set("hardwareThreads", ThreadPool::hardware_threads());
  out.Set("workspaceBytes", static_cast<double>(data.workspace.reserved_bytes()));
  out.Set("napiVersion", NAPI_VERSION);
  out.Set("mallocPolicy", malloc_policy_name(apply_malloc_policy()));
  return out;
}

Napi::Value set_num_threads(const Napi::CallbackInfo& info) {
  ArgReader args(info, "setNumThreads", 1);
  // More threads than cores only adds switching: a few per core is the most that can help.
  const size_t cap = static_cast<size_t>(kThreadsPerCore) * static_cast<size_t>(ThreadPool::hardware_threads());
  size_t n = args.size(0, "threads");
  if (n < 1) args.range_error("setNumThreads: argument 'threads' must be at least 1, got 0");
  if (n > cap) {
    args.range_error("setNumThreads: argument 'threads' is " + std::to_string(n) + ", more than " +
                     std::to_string(kThreadsPerCore) + " per core (" + std::to_string(cap) + " here)");
  }
  AddonData::of(info.Env()).pool.resize(static_cast<int>(n));
  return info.Env().Undefined();
}

Napi::Value get_num_threads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), AddonData::of(info.Env()).pool.size());
}

Napi::Value set_isa(const Napi::CallbackInfo& info) {
  ArgReader args(info, "setIsa", 1);
  std::string name = args.string(0, "isa");
  Isa isa;
  if (!parse_isa(name.c_str(), &isa)) {
    args.range_error("setIsa: argument 'isa' must be 'scalar', 'avx2' or 'avx512', got '" + name + "'");
  }
  if (!cpu_supports(isa)) args.range_error("setIsa: this CPU cannot run '" + name + "' kernels");
  AddonData::of(info.Env()).isa = isa;
  return info.Env().Undefined();
}

Napi::Value release_workspace(const Napi::CallbackInfo& info) {
  AddonData& data = AddonData::of(info.Env());
  data.workspace.release_all();
  data.report_external_memory(info.Env());
  return info.Env().Undefined();
}

}  // namespace

void register_backend(Napi::Env env, Napi::Object exports) {
  exports.Set("backendInfo", make_function(env, "backendInfo", backend_info));
  exports.Set("setNumThreads", make_function(env, "setNumThreads", set_num_threads));
  exports.Set("getNumThreads", make_function(env, "getNumThreads", get_num_threads));
  exports.Set("setIsa", make_function(env, "setIsa", set_isa));
  exports.Set("releaseWorkspace", make_function(env, "releaseWorkspace", release_workspace));
}

}  // namespace dendrite::addon
