#!/usr/bin/env node
// Developer build with cmake-js into build-cmake/. Uses the headers of the
// running Node.js when they are installed beside it (no download needed).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const env = { ...process.env };
if (!env.npm_config_nodedir) {
  const prefix = path.join(path.dirname(process.execPath), '..');
  if (fs.existsSync(path.join(prefix, 'include', 'node', 'node_api.h'))) env.npm_config_nodedir = prefix;
}
const cmakeJs = require.resolve('cmake-js/bin/cmake-js');
// Build on every core, whichever generator cmake picks (ninja or make).
const parallel = process.argv.some((a) => a === '--parallel' || a === '-p') ? [] : ['--parallel', String(require('os').availableParallelism?.() ?? require('os').cpus().length)];
const args = [cmakeJs, 'compile', '--out', 'build-cmake', ...parallel, ...process.argv.slice(2)];
const r = spawnSync(process.execPath, args, { stdio: 'inherit', env, cwd: path.join(__dirname, '..') });
process.exit(r.status === null ? 1 : r.status);
