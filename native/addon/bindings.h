// Each bind_*.cc file adds one family of functions to the addon's exports.
// A new family: write bind_<family>.cc with a register_<family>() and list it
// here and in addon.cc.
#pragma once

#include <napi.h>

namespace dendrite::addon {

void register_backend(Napi::Env env, Napi::Object exports);
void register_gemm(Napi::Env env, Napi::Object exports);
void register_conv(Napi::Env env, Napi::Object exports);
void register_pool(Napi::Env env, Napi::Object exports);
void register_upsample(Napi::Env env, Napi::Object exports);
void register_dropout(Napi::Env env, Napi::Object exports);
void register_random(Napi::Env env, Napi::Object exports);
void register_layout(Napi::Env env, Napi::Object exports);
void register_augment(Napi::Env env, Napi::Object exports);
void register_elementwise(Napi::Env env, Napi::Object exports);
void register_reduce(Napi::Env env, Napi::Object exports);
void register_softmax(Napi::Env env, Napi::Object exports);
void register_optim(Napi::Env env, Napi::Object exports);
void register_norm(Napi::Env env, Napi::Object exports);
void register_infer(Napi::Env env, Napi::Object exports);
void register_memory(Napi::Env env, Napi::Object exports);

}  // namespace dendrite::addon
