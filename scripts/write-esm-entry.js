#!/usr/bin/env node
// Writes dist/index.mjs, the ES-module entry: it re-exports the CommonJS
// build under the same names, so `import { tensor } from 'dendrite'` and
// `require('dendrite')` give the very same objects (one addon instance).
'use strict';
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
// Loading the entry does not load the addon (ts/native.ts loads it lazily).
const names = Object.keys(require(path.join(dist, 'index.js'))).filter((n) => n !== 'default' && n !== '__esModule');
const lines = [
  "import cjs from './index.js';",
  'export default cjs;',
  ...names.map((n) => `export const ${n} = cjs.${n};`),
  '',
];
fs.writeFileSync(path.join(dist, 'index.mjs'), lines.join('\n'));
