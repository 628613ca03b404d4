#!/usr/bin/env node
// A quick end-to-end check of whichever addon binary loads (DENDRITE_NATIVE
// picks one): used by CI against the node-gyp build.
'use strict';
const dd = require('../dist/index.js');
const { native } = require('../dist/native.js');
const n = 37;
const a = new Float32Array(n * n).map((_, i) => (i % 11) - 5);
const b = new Float32Array(n * n).map((_, i) => (i % 13) - 6);
const c = new Float32Array(n * n);
native().gemm(false, false, n, n, n, 1, a, n, 0, b, n, 0, 0, c, n, 0, 1);
for (let i = 0; i < n; i += 7) {
  for (let j = 0; j < n; j += 5) {
    let s = 0;
    for (let p = 0; p < n; p++) s += a[i * n + p] * b[p * n + j];
    if (s !== c[i * n + j]) throw new Error(`smoke: gemm mismatch at ${i},${j}: ${c[i * n + j]} != ${s}`);
  }
}
console.log('smoke ok:', JSON.stringify(dd.backendInfo()));
