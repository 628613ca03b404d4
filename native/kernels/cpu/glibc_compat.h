// Force-included into every translation unit on Linux (-include, from
// CMakeLists.txt and binding.gyp). glibc 2.27 and 2.29 added new versions of
// expf, logf and powf, and of exp, log and pow (faster, without the old
// error-reporting wrappers); code compiled against a newer glibc binds to
// them, and the dynamic loader then refuses the prebuilt binary on any
// older system ("version `GLIBC_2.29' not found"): RHEL and Rocky 8 (glibc
// 2.28), Amazon Linux 2 (2.26), Ubuntu 18.04 (2.27). The vector kernels use
// their own polynomials; these functions serve scalar paths and per-row
// corrections, so the original versions, which every glibc for the
// architecture has, are bound instead. Other C libraries (musl), macOS and
// Windows are unaffected.
#pragma once

#if defined(__linux__) && defined(__has_include)
#if __has_include(<features.h>)
#include <features.h>
#endif
#endif

#if defined(__GLIBC__) && !defined(DENDRITE_NO_GLIBC_COMPAT)
#if defined(__x86_64__)
#define DENDRITE_GLIBC_BASE_VERSION "GLIBC_2.2.5"
#elif defined(__aarch64__)
#define DENDRITE_GLIBC_BASE_VERSION "GLIBC_2.17"
#endif
#ifdef DENDRITE_GLIBC_BASE_VERSION
__asm__(".symver expf,expf@" DENDRITE_GLIBC_BASE_VERSION);
__asm__(".symver logf,logf@" DENDRITE_GLIBC_BASE_VERSION);
__asm__(".symver powf,powf@" DENDRITE_GLIBC_BASE_VERSION);
__asm__(".symver exp,exp@" DENDRITE_GLIBC_BASE_VERSION);
__asm__(".symver log,log@" DENDRITE_GLIBC_BASE_VERSION);
__asm__(".symver pow,pow@" DENDRITE_GLIBC_BASE_VERSION);
#endif
#endif
