// onnxruntime-node hands back outputs in arrays made in the main V8 context and
// then checks them with `instanceof Float32Array` inside the test's context,
// which fails across contexts. This environment (used by the ONNX tests only)
// shares the typed-array classes of the main context, as the project's
// environment already shares the error classes.
const SharedErrorsEnvironment = require('../../support/node-environment');

const TYPED_ARRAYS = [
  'ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Float32Array', 'Float64Array', 'Int8Array', 'Int16Array', 'Int32Array',
  'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array', 'BigInt64Array', 'BigUint64Array',
];

class OnnxTestEnvironment extends SharedErrorsEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of TYPED_ARRAYS) this.global[name] = globalThis[name];
  }
}

module.exports = OnnxTestEnvironment;
