'use strict';
// What every interop script shares: loading the npm `smpp` package (with a clear failure when
// `npm ci` has not run), the smsgw binary argument, pass/fail bookkeeping, and starting, calling
// and stopping `smsgw serve`.

const { spawn } = require('child_process');
const http = require('http');
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

// After `ms` the script fails, whatever it is waiting for: `cleanup` (optional) kills what it
// started, and the process exits 1. The timer does not keep the process alive.
function overallDeadline(ms, cleanup) {
  setTimeout(() => {
    console.error('FAIL: overall deadline passed');
    if (cleanup) cleanup();
    process.exit(1);
  }, ms).unref();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// One API request to 127.0.0.1:`port` with the api-key `key` and a JSON `body` (optional);
// resolves { status, body }, rejects on a socket error or after 20 s.
function request(port, method, target, key, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, timeout: 20000,
                               headers: { 'api-key': key, 'Content-Type': 'application/json' } },
                             (res) => {
                               let data = '';
                               res.on('data', (c) => { data += c; });
                               res.on('end', () => resolve({ status: res.statusCode, body: data }));
                             });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    if (body) req.write(body);
    req.end();
  });
}

// Spawns `binary serve --listen 127.0.0.1:0 ...args` and resolves { child, port, stderr } once
// it prints its listening line (stderr and stdout keep growing as serve writes). After 30 s without that
// line it kills serve and rejects with what serve wrote on stderr.
function startServe(binary, args) {
  const child = spawn(binary, ['serve', '--listen', '127.0.0.1:0', '--admin-listen', '127.0.0.1:0', ...args],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  const proc = { child, port: 0, stderr: '', stdout: '' };
  child.stderr.on('data', (c) => { proc.stderr += c; });
  child.stdout.on('data', (c) => { proc.stdout += c; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('serve did not start: ' + proc.stderr));
    }, 30000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = /smsgw listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        proc.port = Number(m[1]);
        resolve(proc);
      }
    });
  });
}

// SIGTERM, then SIGKILL after 20 s; resolves serve's exit code (-1 when it had to be killed).
function stopServe(proc) {
  const { child } = proc;
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  child.kill('SIGTERM');
  return new Promise((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(-1); }, 20000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
}

module.exports = {
  loadSmpp, binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
};
