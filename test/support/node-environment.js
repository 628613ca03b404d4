// Jest runs each test file in its own V8 context, so errors the addon throws
// (created in the main context) fail `instanceof RangeError` checks there. This
// environment shares the main context's error classes with the tests.
const { TestEnvironment } = require('jest-environment-node');

class SharedErrorsEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    for (const name of ['Error', 'TypeError', 'RangeError']) this.global[name] = globalThis[name];
  }
}

module.exports = SharedErrorsEnvironment;
