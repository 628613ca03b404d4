// Module entry: creates this environment's AddonData and registers every
// binding family. Loading in several worker threads gives each its own state.
#include <napi.h>

#include <cstdlib>
#include <string>

#include "addon_data.h"
#include "bindings.h"
#include "memory/malloc_policy.h"

namespace dendrite::addon {

// DENDRITE_ISA=scalar (or DENDRITE_FORCE_SCALAR=1) forces the portable path,
// so the test suite can cover it on any machine.
static Isa initial_isa() {
  Isa isa = detect_best_isa();
  const char* force = std::getenv("DENDRITE_FORCE_SCALAR");
  if (force != nullptr && std::string(force) == "1") return Isa::Scalar;
  const char* requested = std::getenv("DENDRITE_ISA");
  Isa wanted;
  if (requested != nullptr && parse_isa(requested, &wanted) && cpu_supports(wanted)) return wanted;
  return isa;
}

Napi::Object init(Napi::Env env, Napi::Object exports) {
  // Process-wide and once: later worker threads find it applied.
  apply_malloc_policy();
  env.SetInstanceData(new AddonData(initial_isa(), ThreadPool::hardware_threads()));
  register_backend(env, exports);
  register_gemm(env, exports);
  register_conv(env, exports);
  register_pool(env, exports);
  register_upsample(env, exports);
  register_dropout(env, exports);
  register_random(env, exports);
  register_layout(env, exports);
  register_augment(env, exports);
  register_elementwise(env, exports);
  register_reduce(env, exports);
  register_softmax(env, exports);
  register_optim(env, exports);
  register_norm(env, exports);
  register_infer(env, exports);
  register_memory(env, exports);
  return exports;
}

}  // namespace dendrite::addon

static Napi::Object InitDendrite(Napi::Env env, Napi::Object exports) {
  return dendrite::addon::init(env, exports);
}

NODE_API_MODULE(dendrite, InitDendrite)
