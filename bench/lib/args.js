'use strict';
// Command-line options of the bench scripts: util.parseArgs plus the answers
// every script gives. --help / -h prints the usage text and exits 0; an option
// it does not know, or a value it cannot use, prints what was wrong and the
// usage text and exits 2, without a stack trace.
const path = require('path');
const { parseArgs } = require('util');

/** Prints `message` and `usage` to stderr and exits 2: the command line was wrong. */
function usageError(usage, message) {
  process.stderr.write(`${path.basename(process.argv[1])}: ${message}\n\n${usage.endsWith('\n') ? usage : `${usage}\n`}`);
  process.exit(2);
}

/**
 * parseArgs over `options` with -h/--help added: { values, positionals }.
 * Help and command-line errors end the process here (see above).
 */
function parseOptions(usage, options, { allowPositionals = false } = {}) {
  let parsed;
  try {
    parsed = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h', default: false } }, allowPositionals });
  } catch (e) {
    usageError(usage, e.message);
  }
  if (parsed.values.help) {
    process.stdout.write(usage.endsWith('\n') ? usage : `${usage}\n`);
    process.exit(0);
  }
  return parsed;
}

module.exports = { parseOptions, usageError };
