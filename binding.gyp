# Compiles the same sources as CMakeLists.txt (listed by scripts/list-sources.js):
# what prebuildify builds prebuilds with, and what node-gyp-build falls back to
# when no prebuild matches the consumer's platform.
{
  'target_defaults': {
    'cflags_cc!': ['-fno-exceptions', '-fno-rtti', '-std=gnu++1y', '-std=gnu++17'],
    'cflags_cc': ['-std=c++17', '-O3', '-fexceptions', '-fno-math-errno', '-fvisibility=hidden'],
    'include_dirs': ['native/kernels'],
    # On Linux every file binds libm's functions to the versions every glibc
    # has (native/kernels/cpu/glibc_compat.h says why).
    'conditions': [
      ['OS=="linux"', { 'cflags_cc': ['-include', '$(srcdir)/native/kernels/cpu/glibc_compat.h'] }],
    ],
    'xcode_settings': {
      'GCC_ENABLE_CPP_EXCEPTIONS': 'YES',
      'CLANG_CXX_LANGUAGE_STANDARD': 'c++17',
      'OTHER_CPLUSPLUSFLAGS': ['-O3', '-fno-math-errno'],
    },
    'msvs_settings': { 'VCCLCompilerTool': { 'ExceptionHandling': 1, 'AdditionalOptions': ['/std:c++17'] } },
  },
  'targets': [
    {
      'target_name': 'dendrite_kernels_avx2',
      'type': 'static_library',
      'conditions': [
        ['target_arch=="x64" or target_arch=="ia32"', {
          'sources': ['<!@(node scripts/list-sources.js kernels-avx2)'],
          'cflags_cc': ['-mavx2', '-mfma'],
          'xcode_settings': { 'OTHER_CPLUSPLUSFLAGS': ['-mavx2', '-mfma'] },
          'msvs_settings': { 'VCCLCompilerTool': { 'AdditionalOptions': ['/arch:AVX2'] } },
        }],
      ],
    },
    {
      'target_name': 'dendrite_kernels_avx512',
      'type': 'static_library',
      'conditions': [
        ['target_arch=="x64" or target_arch=="ia32"', {
          'sources': ['<!@(node scripts/list-sources.js kernels-avx512)'],
          'cflags_cc': ['-mavx2', '-mfma', '-mavx512f', '-mavx512vl', '-mavx512bw', '-mavx512dq'],
          'xcode_settings': { 'OTHER_CPLUSPLUSFLAGS': ['-mavx2', '-mfma', '-mavx512f', '-mavx512vl', '-mavx512bw', '-mavx512dq'] },
          'msvs_settings': { 'VCCLCompilerTool': { 'AdditionalOptions': ['/arch:AVX512'] } },
        }],
      ],
    },
    {
      'target_name': 'dendrite_kernels_neon',
      'type': 'static_library',
      'conditions': [
        ['target_arch=="arm64"', {
          'sources': ['<!@(node scripts/list-sources.js kernels-neon)'],
        }],
      ],
    },
    {
      'target_name': 'dendrite_kernels',
      'type': 'static_library',
      'sources': ['<!@(node scripts/list-sources.js kernels)'],
    },
    {
      'target_name': 'dendrite',
      'sources': ['<!@(node scripts/list-sources.js addon)'],
      'dependencies': [
        'dendrite_kernels',
        'dendrite_kernels_avx2',
        'dendrite_kernels_avx512',
        'dendrite_kernels_neon',
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api_except",
      ],
      'defines': [
        'NAPI_VERSION=9',
        'NODE_ADDON_API_DISABLE_DEPRECATED',
        'NODE_API_NO_EXTERNAL_BUFFERS_ALLOWED',
      ],
      'libraries': ['-lpthread'],
    },
  ],
}
