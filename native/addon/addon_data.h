// Per-environment state of the addon: each Node environment (main thread,
// worker thread, Electron renderer) that loads the addon gets its own, so no
// mutable state is shared between them.
#pragma once

#include <napi.h>

#include <cstdint>

#include "context.h"
#include "weak_watches.h"

namespace dendrite::addon {

struct AddonData {
  AddonData(Isa isa, int threads) : isa(isa), pool(threads) {}

  Isa isa;
  ThreadPool pool;
  Workspace workspace;
  WeakWatches weak_watches;
  int64_t reported_external_bytes = 0;

  Context context() {
    Context ctx;
    ctx.isa = isa;
    ctx.pool = &pool;
    ctx.workspace = &workspace;
    return ctx;
  }

  // Tells V8 how much native scratch memory this environment holds, so the
  // garbage collector's heuristics see it.
  void report_external_memory(Napi::Env env) {
    int64_t now = static_cast<int64_t>(workspace.reserved_bytes());
    if (now != reported_external_bytes) {
      Napi::MemoryManagement::AdjustExternalMemory(env, now - reported_external_bytes);
      reported_external_bytes = now;
    }
  }

  static AddonData& of(Napi::Env env) { return *env.GetInstanceData<AddonData>(); }
};

}  // namespace dendrite::addon
