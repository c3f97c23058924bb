'use strict';
// Proof (issue 17): kill -9 of `smsgw serve` while a customer's ESME submits at full window loses
// nothing it acknowledged. Usage: node smpp_server_kill9_test.js /path/to/smsgw
//
// The customer is an ESME written with the npm `smpp` package (independent of smsgw's SMPP code,
// so a fault shared by our client and server cannot hide itself); the carrier is `smsgw smsc-sim`
// as its own process, which outlives the gateway as a real SMSC would and keeps the receipts of
// what was submitted to it until the gateway binds again. The customer binds as transmitter and
// submits 500 messages with registered_delivery 1, always `window` (50) unanswered; once 250 are
// acknowledged, serve is killed with SIGKILL. serve is started again on the same data directory;
// every message whose submit_sm_resp said ESME_ROK must be in the store (the status API knows
// it) and reach Delivered, and its receipt must reach the customer when it binds a receiver
// (deliver_sm, answered). Receipts are at least once, so repeats are counted and printed, not
// failed. Bounded: an overall deadline of 80 s (about 15 s under ASan); every process is stopped
// by PID.

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const {
  binaryArgument, makeChecker, overallDeadline, sleep, startServe, stopServe,
} = require('./harness');
const {
  smppPort, connect, call, submitAtWindow, collectReceipts, waitFor, statuses, waitDelivered,
  cli, statusName,
} = require('./esme');

const binary = binaryArgument('smpp_server_kill9_test.js');
const { check, summary } = makeChecker();

const kSubmits = 500;
const kWindow = 50;
const kKillAfter = 250;  // acknowledged submits before the kill

let serve = null;
let sim = null;
overallDeadline(80000, () => {
  if (serve) serve.child.kill('SIGKILL');
  if (sim) sim.kill('SIGKILL');
});

// `smsgw smsc-sim` on 127.0.0.1 port 0; resolves { child, port }.
function startSimulator() {
  const child = spawn(binary, ['smsc-sim', '--listen', '127.0.0.1:0', '--receipt-delay', '50'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error('smsc-sim did not start')); },
                             30000);
    child.stdout.on('data', (c) => {
      out += c;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, port: Number(m[1]) });
      }
    });
  });
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-smppd-kill9-'));
  try {
    const smsc = await startSimulator();
    sim = smsc.child;
    const config = path.join(dir, 'smsgw.toml');
    fs.writeFileSync(config,
                     '[simulator]\nenabled = false\n' +
                     `[[smsc]]\nname = "carrier"\nhost = "127.0.0.1"\nport = ${smsc.port}\n` +
                     'system_id = "smsgw"\npassword = "smsgw"\n' +
                     `[smpp_server]\nlisten = "127.0.0.1:0"\nwindow = ${kWindow}\n` +
                     'deliver_timeout = "2s"\n');
    const account = cli(binary, ['account', 'create', '--name', 'kill9', '--data', dir, '--json']);
    const cred = cli(binary, ['smpp-credential', 'create', '--sid', account.sid, '--data', dir,
                              '--json']);

    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const tx = await connect(await smppPort(serve));
    tx.on('error', () => {});  // the kill resets the connection
    const bound = await call(tx, 'bind_transmitter',
                             { system_id: cred.system_id, password: cred.password });
    check('transmitter bound', bound.command_status === 0, statusName(bound.command_status));

    const acked = [];
    const refused = {};
    let killedAt = null;
    const started = Date.now();
    const result = await submitAtWindow(tx, kSubmits, kWindow, (n) => ({
      source_addr: 'SMSGW', dest_addr_ton: 1, dest_addr_npi: 1,
      destination_addr: `1415555${String(1000 + n).padStart(4, '0')}`,
      short_message: `kill9 ${n}`, registered_delivery: 1,
    }), (n, pdu) => {
      if (pdu.command_status === 0) {
        acked.push(pdu.message_id);
        if (acked.length === kKillAfter && killedAt === null) {
          killedAt = Date.now();
          serve.child.kill('SIGKILL');
        }
      } else {
        const name = statusName(pdu.command_status);
        refused[name] = (refused[name] || 0) + 1;
      }
    });
    console.log(`# ${acked.length} acknowledged, ${result.unanswered} unanswered at the kill, ` +
                `refused ${JSON.stringify(refused)}, ${killedAt - started} ms of submitting`);
    check('the kill came while submits were in flight', killedAt !== null && result.unanswered > 0,
          `unanswered ${result.unanswered}`);
    check('no submit refused before the kill (a full window is not over it)',
          Object.keys(refused).length === 0, JSON.stringify(refused));
    const exit = await new Promise((resolve) => {
      if (serve.child.exitCode !== null || serve.child.signalCode !== null) {
        resolve(serve.child.signalCode);
      } else {
        serve.child.on('exit', (code, signal) => resolve(signal));
      }
    });
    check('serve died of SIGKILL', exit === 'SIGKILL', String(exit));
    check('every acknowledged id is distinct', new Set(acked).size === acked.length);

    // ---- restart on the same data directory ----
    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const found = await statuses(serve.port, account, acked);
    const missing = acked.filter((id) => !found[id] || found[id] === 'NotFound');
    check(`all ${acked.length} acknowledged messages are in the store after the restart`,
          missing.length === 0, `${missing.length} missing, e.g. ${missing[0]}`);
    const final = await waitDelivered(serve.port, account, acked, 30000);
    const notDelivered = acked.filter((id) => final[id] !== 'Delivered');
    check('every acknowledged message is Delivered', notDelivered.length === 0,
          `${notDelivered.length} not, e.g. ${notDelivered[0]}: ${final[notDelivered[0]]}`);

    // ---- the customer binds a receiver: every acknowledged message's receipt arrives ----
    const rx = await connect(await smppPort(serve));
    const receipts = collectReceipts(rx);
    const rxBound = await call(rx, 'bind_receiver',
                               { system_id: cred.system_id, password: cred.password });
    check('receiver bound after the restart', rxBound.command_status === 0,
          statusName(rxBound.command_status));
    const want = new Set(acked);
    const seen = () => new Set(receipts.map((r) => r.id).filter((id) => want.has(id)));
    await waitFor(() => seen().size === want.size, 20000);
    const got = seen();
    check('the receipt of every acknowledged message reaches the customer',
          got.size === want.size, `${got.size} of ${want.size}`);
    check('each one a delivery receipt (esm_class 0x04)',
          receipts.every((r) => r.esm_class === 4));
    const repeats = receipts.length - new Set(receipts.map((r) => r.id)).size;
    console.log(`# ${receipts.length} receipts, ${repeats} repeated (at least once), ` +
                `${receipts.length - repeats - got.size} for submits left unanswered by the kill`);
    await call(rx, 'unbind', {});
    const code = await stopServe(serve);
    check('serve stops with exit 0 after the restart', code === 0, `exit ${code}`);
    serve = null;
  } finally {
    if (serve) serve.child.kill('SIGKILL');
    if (sim) sim.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => process.exit(summary()));
