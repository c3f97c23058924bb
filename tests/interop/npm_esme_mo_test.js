'use strict';
// Interop: what smsgw delivers back to SMPP customers (issue 17), received by ESMEs written with
// the npm `smpp` package, independent of our codec. MO: an inbound-number entry whose target is
// SMPP sends its messages to the account's receiver binds as deliver_sm instead of a webhook.
// Message ids and errors: a credential with --id-format decimal gets digits-only ids in
// submit_sm_resp, its receipts and query_sm, mapping back to the REST API's id; a receipt carries
// the carrier's err (and network_error_code), or the carrier's submit_sm_resp error.
// Usage: node npm_esme_mo_test.js /path/to/smsgw
//
// Starts `smsgw smsc-sim` (its control endpoint injects MO) and `smsgw serve` with a connector to
// it and the SMPP server on. Adds one entry with `smsgw inbound-number add --target smpp` and one
// through the API (which refuses target smpp with a callback, E480). An MO injected while no
// receiver is bound waits; when the npm receiver binds it arrives first, then a GSM-7 one, a UCS-2
// one and a 3-part UDH one (reassembled by smsgw, delivered whole in message_payload): each a
// deliver_sm with esm_class 0, source_addr the handset, destination_addr the number, and the text.
// An MO to a number no entry holds reaches nobody. Then, as a transceiver of a decimal
// credential: a delivered submit, one the carrier reports UNDELIV err:001 (the simulator's
// 9994) and one it refuses ESME_RINVDSTADR (9992), each with registered_delivery; the ids, the
// receipts' err and network_error_code, query_sm by the decimal id, and the REST API finding the
// message by the id the decimal one maps back to. Exits 0 only if every check passed. Bounded:
// every wait has a deadline; both processes are stopped by PID.

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');

const {
  loadSmpp, binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
} = require('./harness');
const {
  smppPort, connect: connectEsme, call, waitFor, cli: cliOf,
} = require('./esme');

const smpp = loadSmpp();
const binary = binaryArgument('npm_esme_mo_test.js');
const { check, summary } = makeChecker();

let serve = null;
let sim = null;
const sessions = [];
overallDeadline(80000, () => {
  if (serve) serve.child.kill('SIGKILL');
  if (sim) sim.kill('SIGKILL');
});

const HANDSET = '14155550100';

function startSimulator() {
  const child = spawn(binary, ['smsc-sim', '--listen', '127.0.0.1:0', '--control', '127.0.0.1:0'],
                      { stdio: ['ignore', 'pipe', 'pipe'] });
  sim = child;
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('smsc-sim did not start')), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /listening on 127\.0\.0\.1:(\d+), control on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ smpp: Number(m[1]), control: Number(m[2]) });
      }
    });
    child.on('exit', () => reject(new Error('smsc-sim exited early')));
  });
}

function post(port, target, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = http.request({ host: '127.0.0.1', port, path: target, method: 'POST', timeout: 10000,
                               headers: { 'Content-Type': 'application/json',
                                          'Content-Length': Buffer.byteLength(data) } },
                             (res) => {
                               let text = '';
                               res.on('data', (d) => { text += d; });
                               res.on('end', () => resolve({ status: res.statusCode, body: text }));
                             });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end(data);
  });
}

// Injects an MO through the simulator, waiting (up to 20 s) for smsgw's connector to be bound.
async function injectMo(control, body) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const r = await post(control, '/mo', body);
    if (r.status !== 409 || Date.now() > deadline) return r;
    await sleep(100);
  }
}

// A session of the customer's, closed at the end whatever happens.
async function connect(port) {
  const session = await connectEsme(port);
  sessions.push(session);
  return session;
}

// The text the npm package decoded from short_message or message_payload (by data_coding).
function textOf(field) {
  if (field === undefined || field === null) return '';
  return typeof field === 'object' && 'message' in field ? String(field.message) : String(field);
}

const cli = (args) => cliOf(binary, args);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-interop-mo-'));
  try {
    const ports = await startSimulator();
    const config = path.join(dir, 'smsgw.toml');
    fs.writeFileSync(config,
                     '[simulator]\nenabled = false\n' +
                     `[[smsc]]\nname = "carrier"\nhost = "127.0.0.1"\nport = ${ports.smpp}\n` +
                     'system_id = "smsgw"\npassword = "smsgw"\n' +
                     '[smpp_server]\nlisten = "127.0.0.1:0"\ndeliver_timeout = "2s"\n');
    const account = cli(['account', 'create', '--name', 'mo', '--data', dir, '--json']);
    const cred = cli(['smpp-credential', 'create', '--sid', account.sid, '--data', dir, '--json']);
    const short = cli(['inbound-number', 'add', '--sid', account.sid, '--number', '56767',
                       '--target', 'smpp', '--data', dir, '--json']);
    check('CLI: an entry with --target smpp', short.target === 'smpp' && short.callback === null,
          JSON.stringify(short));

    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const port = await smppPort(serve);
    const entries = `/ext/v1/${account.sid}/inbound-numbers`;
    const refused = await request(serve.port, 'POST', entries, account.api_key,
                                  JSON.stringify({ number: '+14155550199', target: 'smpp',
                                                   callback: { url: 'https://example.com/mo' } }));
    check('API: target smpp with a callback is 400 E480',
          refused.status === 400 && refused.body.includes('E480'), refused.body);
    const added = await request(serve.port, 'POST', entries, account.api_key,
                                JSON.stringify({ number: '+14155550199', target: 'smpp' }));
    check('API: an entry with target smpp', added.status === 201 &&
            JSON.parse(added.body).target === 'smpp', added.body);

    // ---- no receiver bound: the MO waits in the outbox ----
    const early = await injectMo(ports.control, { from: `+${HANDSET}`, to: '56767',
                                                  text: 'sent while nobody listened' });
    check('simulator sent the first MO', early.status === 200, early.body);
    await sleep(500);

    const rx = await connect(port);
    const got = [];
    rx.on('deliver_sm', (pdu) => { got.push(pdu); rx.send(pdu.response()); });
    const bound = await call(rx, 'bind_receiver', { system_id: cred.system_id,
                                                    password: cred.password });
    check('bind_receiver: ESME_ROK', bound.command_status === 0, String(bound.command_status));
    await waitFor(() => got.length >= 1, 10000);
    const first = got[0] || {};
    check('the MO that waited arrives when a receiver binds',
          textOf(first.short_message) === 'sent while nobody listened',
          JSON.stringify({ n: got.length, text: textOf(first.short_message) }));

    // ---- MO as it comes: GSM-7, UCS-2, three UDH parts ----
    const long = 'Long MO over SMPP: ' + 'abcdefghij'.repeat(40);
    const mos = [
      { from: `+${HANDSET}`, to: '56767', text: 'JOIN the list please', data_coding: 0 },
      { from: `+${HANDSET}`, to: '14155550199', text: 'Привет, мир ✓', data_coding: 8 },
      { from: `+${HANDSET}`, to: '14155550199', text: long, data_coding: 0, payload: true },
    ];
    for (const mo of mos) {
      const r = await injectMo(ports.control, { from: mo.from, to: mo.to, text: mo.text,
                                                concat: 'udh8' });
      check(`simulator sent "${mo.text.slice(0, 20)}"`, r.status === 200, r.body);
    }
    const unmatched = await injectMo(ports.control, { from: `+${HANDSET}`, to: '56799',
                                                      text: 'to nobody' });
    check('simulator sent the unmatched MO', unmatched.status === 200, unmatched.body);
    await waitFor(() => got.length >= 1 + mos.length, 15000);
    for (const [i, mo] of mos.entries()) {
      const pdu = got[1 + i] || {};
      const text = mo.payload ? textOf(pdu.message_payload) : textOf(pdu.short_message);
      check(`MO ${i + 1}: deliver_sm esm_class 0 from the handset to the number, data_coding ` +
              `${mo.data_coding}, the text${mo.payload ? ' whole in message_payload' : ''}`,
            pdu.esm_class === 0 && pdu.source_addr === HANDSET && pdu.source_addr_ton === 1 &&
              pdu.destination_addr === mo.to && pdu.data_coding === mo.data_coding &&
              text === mo.text && (!mo.payload || !pdu.short_message ||
                                   textOf(pdu.short_message) === ''),
            JSON.stringify({ esm_class: pdu.esm_class, source: pdu.source_addr,
                             ton: pdu.source_addr_ton, dest: pdu.destination_addr,
                             dc: pdu.data_coding, text }));
    }
    await sleep(1000);
    check('an MO to a number no entry holds reaches nobody', got.length === 1 + mos.length,
          `${got.length} deliver_sm`);
    check('no receipt-like PDU among them', got.every((p) => p.esm_class === 0));
    await call(rx, 'unbind', {});

    // ---- decimal ids, and the error a receipt reports ----
    const dec = cli(['smpp-credential', 'create', '--sid', account.sid, '--system-id', 'acme-dec',
                     '--id-format', 'decimal', '--data', dir, '--json']);
    const listed = cli(['smpp-credential', 'list', '--sid', account.sid, '--data', dir, '--json']);
    check('list shows the id format',
          listed.some((c) => c.system_id === 'acme-dec' && c.id_format === 'decimal') &&
            listed.some((c) => c.system_id === cred.system_id && c.id_format === 'hex'),
          JSON.stringify(listed));
    const trx = await connect(port);
    const receipts = [];
    trx.on('deliver_sm', (pdu) => { receipts.push(pdu); trx.send(pdu.response()); });
    const trxBound = await call(trx, 'bind_transceiver', { system_id: dec.system_id,
                                                           password: dec.password });
    check('bind_transceiver (decimal credential): ESME_ROK', trxBound.command_status === 0,
          String(trxBound.command_status));
    const submits = [
      { to: '14155550131', stat: 'DELIVRD', err: '000', network: null },
      { to: '14155559994', stat: 'UNDELIV', err: '001', network: [8, 0, 1] },
      { to: '14155559992', stat: 'UNDELIV', err: '00B', network: [7, 0, 0x0B] },
    ];
    for (const s of submits) {
      const r = await call(trx, 'submit_sm', { source_addr: 'SMSGW', destination_addr: s.to,
                                               short_message: 'ids and errors',
                                               registered_delivery: 1 });
      s.id = r.message_id || '';
      check(`submit to ${s.to}: ESME_ROK with a decimal id`,
            r.command_status === 0 && /^[0-9]{40,64}$/.test(s.id), `${r.command_status} ${s.id}`);
    }
    const receiptOf = (id) => receipts.find((p) => p.receipted_message_id === id);
    await waitFor(() => submits.every((s) => receiptOf(s.id)), 20000);
    for (const s of submits) {
      const receipt = receiptOf(s.id) || {};
      const text = textOf(receipt.short_message);
      const network = receipt.network_error_code ? Array.from(receipt.network_error_code) : null;
      check(`receipt for ${s.to}: the decimal id, stat:${s.stat} err:${s.err}` +
              (s.network ? `, network_error_code ${JSON.stringify(s.network)}` : ', no TLV'),
            receipt.esm_class === 4 && text.startsWith(`id:${s.id} `) &&
              text.includes(` stat:${s.stat} err:${s.err} `) &&
              JSON.stringify(network) === JSON.stringify(s.network),
            JSON.stringify({ text, network }));
    }
    const queried = await call(trx, 'query_sm', { message_id: submits[0].id, source_addr: 'SMSGW' });
    check('query_sm by the decimal id: ESME_ROK, DELIVERED',
          queried.command_status === 0 && queried.message_state === 2,
          `${queried.command_status} ${queried.message_state}`);
    const hexId = (decimal) => {
      const hex = BigInt(decimal.slice(0, 39)).toString(16).padStart(32, '0');
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-` +
             `${hex.slice(20)}:${decimal.slice(39)}`;
    };
    const byHex = await request(serve.port, 'GET',
                                `/ext/v1/${account.sid}/messages/${hexId(submits[0].id)}`,
                                account.api_key);
    check('the decimal id maps back to the id the REST API knows',
          byHex.status === 200 && JSON.parse(byHex.body).status === 'Delivered', byHex.body);
    const wrongForm = await call(trx, 'query_sm', { message_id: hexId(submits[0].id),
                                                    source_addr: 'SMSGW' });
    check('query_sm by an id not in the credential\'s form: ESME_RINVMSGID',
          wrongForm.command_status === smpp.errors.ESME_RINVMSGID,
          String(wrongForm.command_status));
    await call(trx, 'unbind', {});

    const code = await stopServe(serve);
    check('serve stops with exit 0 on SIGTERM', code === 0,
          `exit ${code}; ${serve.stderr.slice(-1500)}`);
    serve = null;
  } finally {
    for (const s of sessions) {
      try { s.destroy(); } catch (e) { /* already closed */ }
    }
    if (serve) serve.child.kill('SIGKILL');
    if (sim) sim.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => process.exit(summary()));
