#!/usr/bin/env node
// The one list of native sources, read by both builds (CMakeLists.txt and
// binding.gyp) so they cannot drift apart.
//   node scripts/list-sources.js kernels      portable kernel sources
//   node scripts/list-sources.js kernels-avx2 sources compiled with -mavx2 -mfma (*_avx2.cc)
//   node scripts/list-sources.js kernels-avx512 sources compiled with the AVX-512 F/VL/BW/DQ flags (*_avx512.cc)
//   node scripts/list-sources.js kernels-neon  arm64-only sources (*_neon.cc; NEON is baseline there, no flags)
//   node scripts/list-sources.js addon        Node-API glue
//   node scripts/list-sources.js kernel-tests C++ tests of the kernel library
// Paths are relative to the package root, separated by newlines (gyp) or ';' with --cmake.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.join(__dirname, '..');

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(rel));
    else if (entry.name.endsWith('.cc')) out.push(rel);
  }
  return out.sort();
}

const isAvx2 = (f) => f.endsWith('_avx2.cc');
const isAvx512 = (f) => f.endsWith('_avx512.cc');
const isNeon = (f) => f.endsWith('_neon.cc');
const kernelFiles = walk('native/kernels').filter((f) => !f.startsWith('native/kernels/test/'));
const lists = {
  kernels: kernelFiles.filter((f) => !isAvx2(f) && !isAvx512(f) && !isNeon(f)),
  'kernels-avx2': kernelFiles.filter(isAvx2),
  'kernels-avx512': kernelFiles.filter(isAvx512),
  'kernels-neon': kernelFiles.filter(isNeon),
  addon: walk('native/addon'),
  'kernel-tests': walk('native/kernels/test'),
};

const which = process.argv[2];
if (!(which in lists)) {
  console.error(`list-sources: unknown list '${which}'; one of ${Object.keys(lists).join(', ')}`);
  process.exit(2);
}
const sep = process.argv.includes('--cmake') ? ';' : '\n';
process.stdout.write(lists[which].join(sep));
