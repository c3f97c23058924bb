'use strict';
// Interop: an ESME written with the npm `smpp` package (an SMPP 3.4 implementation independent
// of ours) against `smsgw smsc-sim`. Usage: node npm_client_test.js /path/to/smsgw
//
// Starts the simulator on 127.0.0.1 port 0 with its control endpoint, then, as a transceiver:
// a bind with a bad password is refused; GSM-7, UCS-2, flash and 3-part UDH messages are
// accepted and each gets its delivery receipt (whose text sample proves the simulator decoded
// what the package encoded); a GSM-7 MO and a multipart UCS-2 MO injected over HTTP arrive and
// decode; unbind is answered. Exits 0 only if every check passed, else prints what failed.
// Bounded: an overall deadline kills everything. The simulator is stopped by PID (SIGTERM,
// then SIGKILL) and must exit 0.

const { spawn } = require('child_process');
const http = require('http');

const { loadSmpp, binaryArgument, makeChecker } = require('./harness');

const smpp = loadSmpp();

const OVERALL_DEADLINE_MS = 60000;
const STEP_TIMEOUT_MS = 15000;
const SYSTEM_ID = 'interop';
const PASSWORD = 'secret';

const binary = binaryArgument('npm_client_test.js');

const { check, summary } = makeChecker();

function withTimeout(promise, what, ms = STEP_TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// The simulator's receipt text sample: the first 20 characters, each one that is not the same
// in ASCII and the GSM 03.38 default alphabet shown as '?' (docs/simulator.md, "Receipts").
function receiptSample(text) {
  return Array.from(text)
    .slice(0, 20)
    .map((c) => (/^[ !"#%&'()*+,\-./0-9:;<=>?A-Za-z]$/.test(c) ? c : '?'))
    .join('');
}

// ---- the simulator process ----

function startSimulator() {
  const child = spawn(binary, [
    'smsc-sim', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0',
    '--account', `${SYSTEM_ID}:${PASSWORD}`, '--receipt-delay', '50',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const ports = new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on 127\.0\.0\.1:(\d+), control on 127\.0\.0\.1:(\d+)/);
      if (m) {
        resolve({ smpp: Number(m[1]), control: Number(m[2]) });
      }
    });
    child.on('exit', (code, signal) => reject(new Error(
      `smsgw smsc-sim exited early (code ${code}, signal ${signal}): ${stderr.trim()}`)));
    child.on('error', reject);
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal }));
  });
  return { child, ports, exited, stderr: () => stderr };
}

async function stopSimulator(sim) {
  if (sim.child.exitCode !== null || sim.child.signalCode !== null) {
    return sim.exited;
  }
  sim.child.kill('SIGTERM');
  const killer = setTimeout(() => sim.child.kill('SIGKILL'), 10000);
  const result = await sim.exited;
  clearTimeout(killer);
  return result;
}

// ---- control endpoint ----

function post(port, target, body) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? '' : JSON.stringify(body);
    const req = http.request({
      host: '127.0.0.1', port, path: target, method: body === undefined ? 'GET' : 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode, body: text }));
    });
    req.on('error', reject);
    req.end(data);
  });
}

// ---- an ESME built on the npm package ----

function connect(port) {
  return withTimeout(new Promise((resolve, reject) => {
    const session = smpp.connect({ host: '127.0.0.1', port }, () => resolve(session));
    session.on('error', reject);
  }), 'the TCP connection');
}

function request(session, command, params, what) {
  return withTimeout(new Promise((resolve) => session[command](params, resolve)), what);
}

// Receipts and MO arrive as deliver_sm; each is answered and queued for the checks.
class Inbox {
  constructor(session) {
    this.items = [];
    this.waiters = [];
    session.on('deliver_sm', (pdu) => {
      session.send(pdu.response());
      this.items.push(pdu);
      this.waiters.splice(0).forEach((w) => w());
    });
  }

  // The first deliver_sm for which `match` holds, removed from the inbox.
  take(match, what) {
    return withTimeout(new Promise((resolve) => {
      const look = () => {
        const i = this.items.findIndex(match);
        if (i >= 0) {
          resolve(this.items.splice(i, 1)[0]);
        } else {
          this.waiters.push(look);
        }
      };
      look();
    }), what);
  }

  receiptFor(messageId, what) {
    return this.take((pdu) => (pdu.esm_class & 0x3c) === 0x04 &&
                              pdu.receipted_message_id === messageId, what);
  }
}

function messageText(pdu) {
  const sm = pdu.short_message;
  return sm && typeof sm === 'object' && 'message' in sm ? String(sm.message) : String(sm);
}

// Submits, checks the response, waits for the receipt and checks what it reports.
async function submitAndCheckReceipt(session, inbox, name, params, textForSample) {
  const resp = await request(session, 'submit_sm', {
    source_addr: 'ACME', source_addr_ton: 5, source_addr_npi: 0,
    destination_addr: '919876543210', dest_addr_ton: 1, dest_addr_npi: 1,
    registered_delivery: 1, ...params,
  }, `${name}: submit_sm_resp`);
  if (!check(`${name}: submit_sm accepted with a message id`,
    resp.command_status === 0 && typeof resp.message_id === 'string' &&
      resp.message_id.length > 0,
    `status ${resp.command_status}, id ${JSON.stringify(resp.message_id)}`)) {
    return;
  }
  const receipt = await inbox.receiptFor(resp.message_id, `${name}: the receipt`);
  const text = messageText(receipt);
  check(`${name}: receipt says DELIVRD for ${resp.message_id}`,
    receipt.message_state === 2 && text.includes(`id:${resp.message_id} `) &&
      text.includes('stat:DELIVRD'), text);
  const expected = receiptSample(textForSample);
  check(`${name}: the simulator decoded the text (receipt text:${expected})`,
    text.endsWith(`text:${expected}`), text);
}

let sim = null;

async function run() {
  sim = startSimulator();
  let exitResult;
  try {
    const ports = await withTimeout(sim.ports, 'the simulator to listen');
    console.log(`smsc-sim on 127.0.0.1:${ports.smpp}, control on 127.0.0.1:${ports.control}`);

    // A bad password is refused with ESME_RINVPASWD.
    const refused = await connect(ports.smpp);
    const bad = await request(refused, 'bind_transceiver',
      { system_id: SYSTEM_ID, password: 'wrong' }, 'the refused bind_transceiver_resp');
    check('bind with a bad password is refused (ESME_RINVPASWD)',
      bad.command_status === smpp.ESME_RINVPASWD, `status ${bad.command_status}`);
    refused.destroy();

    // MO injection before any receiver is bound: 409.
    const early = await post(ports.control, '/mo',
      { from: '+14155550100', to: '56767', text: 'too early', system_id: SYSTEM_ID });
    check('MO without a bound receiver is refused (409)', early.status === 409, early.body);

    const session = await connect(ports.smpp);
    const inbox = new Inbox(session);
    const bound = await request(session, 'bind_transceiver',
      { system_id: SYSTEM_ID, password: PASSWORD }, 'bind_transceiver_resp');
    if (!check('bind_transceiver accepted', bound.command_status === 0,
      `status ${bound.command_status}`)) {
      return;
    }

    const gsm = '@home {ok} 5€ [x] from npm smpp';
    await submitAndCheckReceipt(session, inbox, 'GSM-7',
      { data_coding: 0, short_message: gsm }, gsm);

    const ucs2 = 'Привет ✓ unicode from npm';
    await submitAndCheckReceipt(session, inbox, 'UCS-2',
      { data_coding: 8, short_message: ucs2 }, ucs2);

    // data_coding 0x10: GSM-7, message class 0 (flash). The package encodes any data_coding
    // it does not name with its GSM-7 table.
    const flash = 'Flash! Your code is 4711';
    await submitAndCheckReceipt(session, inbox, 'flash',
      { data_coding: 0x10, short_message: flash }, flash);

    // Three parts with a UDH (IEI 0x00, 8-bit reference); the package sets esm_class UDHI.
    const parts = ['Part one of a long message, ', 'part two continues it, ', 'part three ends.'];
    for (let i = 0; i < parts.length; i++) {
      const udh = Buffer.from([0x05, 0x00, 0x03, 0x2a, parts.length, i + 1]);
      await submitAndCheckReceipt(session, inbox, `multipart ${i + 1}/3`,
        { data_coding: 0, short_message: { udh, message: parts[i] } }, parts[i]);
    }

    // MO, GSM-7 in one part.
    const moText = 'STOP {all} @once';
    const mo = await post(ports.control, '/mo',
      { from: '+14155550100', to: '56767', text: moText, system_id: SYSTEM_ID });
    check('MO GSM-7 injected (200)', mo.status === 200, mo.body);
    const moPdu = await inbox.take((p) => (p.esm_class & 0x3c) === 0, 'the GSM-7 MO');
    check('MO GSM-7 arrives as one deliver_sm with the text',
      moPdu.data_coding === 0 && messageText(moPdu) === moText &&
        moPdu.source_addr === '14155550100' && moPdu.destination_addr === '56767',
      `data_coding ${moPdu.data_coding}, text ${JSON.stringify(messageText(moPdu))}`);

    // MO, UCS-2 in several parts with a UDH.
    const longText = 'Ответ: да, спасибо! ✓ '.repeat(8);
    const moLong = await post(ports.control, '/mo', {
      from: '+14155550100', to: '56767', text: longText, encoding: 'ucs2', system_id: SYSTEM_ID,
    });
    let sent = {};
    try {
      sent = JSON.parse(moLong.body);
    } catch (e) { /* reported below */ }
    if (check('MO UCS-2 multipart injected (200, several parts)',
      moLong.status === 200 && sent.parts > 1, moLong.body)) {
      const pieces = [];
      for (let i = 0; i < sent.parts; i++) {
        const part = await inbox.take((p) => (p.esm_class & 0x3c) === 0 &&
                                              (p.esm_class & 0x40) !== 0, `MO part ${i + 1}`);
        const sm = part.short_message;
        const concat = (sm.udh || []).find((ie) => ie[0] === 0x00);
        pieces.push({ seq: concat ? concat[4] : 0, total: concat ? concat[3] : 0,
                      text: String(sm.message), dc: part.data_coding });
      }
      pieces.sort((a, b) => a.seq - b.seq);
      const joined = pieces.map((p) => p.text).join('');
      check('MO UCS-2 parts carry UDH 1..n of n and reassemble to the text',
        pieces.every((p, i) => p.seq === i + 1 && p.total === sent.parts && p.dc === 8) &&
          joined === longText,
        JSON.stringify(pieces.map((p) => [p.seq, p.total, p.dc])));
    }

    const link = await request(session, 'enquire_link', {}, 'enquire_link_resp');
    check('enquire_link answered', link.command_status === 0);

    const stats = await post(ports.control, '/stats');
    let counts = {};
    try {
      counts = JSON.parse(stats.body);
    } catch (e) { /* reported below */ }
    check('GET /stats counts the six submits and their receipts',
      stats.status === 200 && counts.received && counts.received.submit_sm === 6 &&
        counts.sent.deliver_sm >= 6 + 1 + sent.parts && counts.binds.refused === 1,
      stats.body);

    const closed = new Promise((resolve) => session.on('close', resolve));
    const unbound = await request(session, 'unbind', {}, 'unbind_resp');
    check('unbind answered', unbound.command_status === 0);
    await withTimeout(closed, 'the simulator to close the connection after unbind');
    check('the simulator closed the connection after unbind', true);
  } catch (e) {
    check('no step failed or timed out', false, e.message);
  } finally {
    exitResult = await stopSimulator(sim);
  }
  check('smsgw smsc-sim exits 0 on SIGTERM', exitResult.code === 0,
    `code ${exitResult.code}, signal ${exitResult.signal}; stderr: ${sim.stderr().slice(-2000)}`);
}

const deadline = setTimeout(() => {
  console.log(`FAIL the whole test took longer than ${OVERALL_DEADLINE_MS} ms`);
  if (sim && sim.child.exitCode === null && sim.child.signalCode === null) {
    sim.child.kill('SIGKILL');
  }
  process.exit(1);
}, OVERALL_DEADLINE_MS);

run().then(() => {
  clearTimeout(deadline);
  process.exit(summary());
});
