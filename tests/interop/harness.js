'use strict';
// What every interop script shares: loading the npm `smpp` package (with a clear failure when
// `npm ci` has not run), the smsgw binary argument, and pass/fail bookkeeping.

const path = require('path');

function loadSmpp() {
  try {
    return require('smpp');
  } catch (e) {
    console.error(
      `FAIL: the npm package "smpp" is not installed (${path.join(__dirname, 'node_modules')} ` +
        'is missing or incomplete). Run `npm ci` in tests/interop; `make test` does.');
    process.exit(1);
  }
}

// The smsgw binary from argv[2]; exits 2 with a usage line when it is missing.
function binaryArgument(script) {
  const binary = process.argv[2];
  if (!binary) {
    console.error(`usage: node ${script} /path/to/smsgw`);
    process.exit(2);
  }
  return binary;
}

// check(name, ok, detail) prints one line per check; summary() prints the totals and returns
// the exit code (0 only when something passed and nothing failed).
function makeChecker() {
  const failures = [];
  let passed = 0;
  return {
    failures,
    get passed() { return passed; },
    check(name, ok, detail) {
      if (ok) {
        passed++;
        console.log(`ok   ${name}`);
      } else {
        failures.push(name);
        console.log(`FAIL ${name}${detail === undefined ? '' : ': ' + detail}`);
      }
      return ok;
    },
    summary() {
      console.log(`${passed} passed, ${failures.length} failed`);
      if (failures.length > 0) {
        console.log('failed:\n  ' + failures.join('\n  '));
      }
      return failures.length === 0 && passed > 0 ? 0 : 1;
    },
  };
}

module.exports = { loadSmpp, binaryArgument, makeChecker };
