'use strict';
// Interop: smsgw's SMPP server for customers ([smpp_server], docs/smpp-server.md) against ESMEs
// written with the npm `smpp` package, an SMPP 3.4 implementation independent of ours.
// Usage: node npm_esme_vs_smpp_server_test.js /path/to/smsgw
//
// Creates an account and two SMPP credentials with the CLI, starts `smsgw serve` (embedded SMSC
// simulator on, SMPP server on 127.0.0.1 port 0, at most 2 binds per account, window 1), binds
// as transceiver, submits a GSM-7 and a UCS-2 message and checks that each submit_sm_resp
// carries smsgw's message id and that the REST API shows the message, with its text, reaching
// Delivered, as are a data_sm's and the accepted destinations of a submit_multi (with
// unsuccess_sme for a bad number and a distribution list), and that the one submitted with
// registered_delivery comes back to the transceiver as a receipt deliver_sm (esm_class 0x04, the
// Appendix B text, receipted_message_id and message_state), which the ESME answers. Then: a burst
// over the window (ESME_RTHROTTLED), bad destination and sender, schedule_delivery_time and
// validity_period (relative, absolute, too soon, not a date, validity before the schedule), a
// credential over its --max-rate (ESME_RTHROTTLED), query_sm and cancel_sm on the delivered
// message, replace_sm
// (generic_nack), a PDU over the size limit (nack, then closed), a wrong password and an unknown
// system_id (both ESME_RINVPASWD after the same delay), a third bind (ESME_RBINDFAIL), and a
// revoked credential whose bind is closed. Last, receipts while the account has no receiver: a
// transmitter submits and unbinds, and the receipt arrives when a receiver binds; left
// unanswered, it comes again after deliver_timeout. Exits 0 only if every check passed. Bounded: every
// wait has a deadline; serve is stopped by PID.

const { execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const {
  binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
} = require('./harness');
const esme = require('./esme');

const { smpp, smppPort, call, waitFor, statusName } = esme;
const binary = binaryArgument('npm_esme_vs_smpp_server_test.js');
const { check, summary } = makeChecker();

let serve = null;
const sessions = [];
overallDeadline(80000, () => serve && serve.child.kill('SIGKILL'));

// esme.js's session, destroyed at the end of the run.
async function connect(port) {
  const session = await esme.connect(port);
  sessions.push(session);
  return session;
}

// Writes a PDU header announcing `length` octets on a raw socket and resolves with what came back
// before the server closed the connection ({ data, closed }), or what came within 5 s.
function oversized(port, length) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => { socket.destroy(); resolve({ data, closed: false }); }, 5000);
    socket.on('connect', () => {
      const header = Buffer.alloc(16);
      header.writeUInt32BE(length, 0);
      header.writeUInt32BE(0x00000004, 4);  // submit_sm
      header.writeUInt32BE(7, 12);
      socket.write(header);
    });
    socket.on('data', (c) => { data = Buffer.concat([data, c]); });
    socket.on('error', () => {});
    socket.on('close', () => { clearTimeout(timer); resolve({ data, closed: true }); });
  });
}

function closed(session, ms) {
  return new Promise((resolve) => {
    if (session.closed) { resolve(true); return; }
    const timer = setTimeout(() => resolve(false), ms);
    session.once('close', () => { clearTimeout(timer); resolve(true); });
  });
}

// Collects the deliver_sm `session` receives; each is answered ESME_ROK when `answer(pdu)` says so.
function collect(session, answer = () => true) {
  const got = [];
  session.on('deliver_sm', (pdu) => {
    got.push(pdu);
    if (answer(pdu)) session.send(pdu.response());
  });
  return got;
}

function messageText(pdu) {
  const sm = pdu.short_message;
  return sm && typeof sm === 'object' && 'message' in sm ? String(sm.message) : String(sm);
}

// Polls the REST API until the message is Delivered (or 20 s).
async function delivered(port, sid, key, id) {
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline) {
    const r = await request(port, 'GET', `/ext/v1/${sid}/messages/${id}`, key);
    if (r.status === 200 && JSON.parse(r.body).status === 'Delivered') return true;
    await sleep(100);
  }
  return false;
}

const cli = (args) => esme.cli(binary, args);

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-interop-smppd-'));
  try {
    const config = path.join(dir, 'smsgw.toml');
    fs.writeFileSync(config, '[simulator]\nreceipt_delay = "100ms"\n' +
                             '[smpp_server]\nlisten = "127.0.0.1:0"\nmax_binds_per_account = 2\nwindow = 1\n' +
                             'deliver_timeout = "1s"\n');
    const account = cli(['account', 'create', '--name', 'interop', '--data', dir, '--json']);
    const cred = cli(['smpp-credential', 'create', '--sid', account.sid, '--data', dir, '--json']);
    check('credential: a system_id and an 8-character password',
          typeof cred.system_id === 'string' && cred.system_id.length > 0 &&
            /^[A-Za-z0-9]{8}$/.test(cred.password), JSON.stringify(cred));
    const second = cli(['smpp-credential', 'create', '--sid', account.sid, '--system-id',
                        'acme-second', '--data', dir, '--json']);
    check('credential: --system-id is kept', second.system_id === 'acme-second');
    const listed = execFileSync(binary, ['smpp-credential', 'list', '--sid', account.sid,
                                         '--data', dir]).toString();
    check('list shows system_ids, never a password',
          listed.includes(cred.system_id) && !listed.includes(cred.password) &&
            !listed.includes(second.password), listed);

    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const port = await smppPort(serve);

    // ---- bind and submit ----
    const esme = await connect(port);
    const esmeReceipts = collect(esme);
    const bound = await call(esme, 'bind_transceiver',
                             { system_id: cred.system_id, password: cred.password });
    check('bind_transceiver: ESME_ROK', bound.command_status === 0, statusName(bound.command_status));
    const link = await call(esme, 'enquire_link', {});
    check('enquire_link answered', link.command === 'enquire_link_resp', link.command);

    const sends = [
      { name: 'GSM-7', to: '14155550121', text: 'Hello over SMPP {smsgw} @ 100€', data_coding: 0,
        registered_delivery: 1 },
      { name: 'UCS-2', to: '14155550122', text: 'Привет, мир ✓', data_coding: 8 },
    ];
    for (const s of sends) {
      const r = await call(esme, 'submit_sm', {
        source_addr_ton: 5, source_addr: 'SMSGW', dest_addr_ton: 1, dest_addr_npi: 1,
        destination_addr: s.to, data_coding: s.data_coding, short_message: s.text,
        registered_delivery: s.registered_delivery || 0,
      });
      s.id = r.message_id;
      check(`${s.name}: submit_sm_resp ESME_ROK with smsgw's message id`,
            r.command_status === 0 && /^[0-9a-f-]{36}:1$/.test(r.message_id || ''),
            `${statusName(r.command_status)} ${r.message_id}`);
    }
    // window = 1: three submits in one segment; the first is being stored while the server reads
    // the other two, which it answers ESME_RTHROTTLED at once.
    esme.socket.cork();
    const burst = [1, 2, 3].map((n) => call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: `1415555013${n}`, short_message: `burst ${n}`,
    }));
    process.nextTick(() => esme.socket.uncork());
    const answers = (await Promise.all(burst)).map((r) => statusName(r.command_status));
    check('over the window: ESME_RTHROTTLED, the first stored',
          JSON.stringify(answers) ===
            JSON.stringify(['ESME_ROK', 'ESME_RTHROTTLED', 'ESME_RTHROTTLED']),
          JSON.stringify(answers));
    const badTo = await call(esme, 'submit_sm', { source_addr: 'SMSGW', destination_addr: '123',
                                                  short_message: 'x' });
    check('invalid destination: ESME_RINVDSTADR',
          badTo.command_status === smpp.errors.ESME_RINVDSTADR, statusName(badTo.command_status));
    const badFrom = await call(esme, 'submit_sm', { source_addr: 'THIS SENDER IS BAD',
                                                    destination_addr: '14155550123',
                                                    short_message: 'x' });
    check('invalid source: ESME_RINVSRCADR',
          badFrom.command_status === smpp.errors.ESME_RINVSRCADR,
          statusName(badFrom.command_status));
    // ---- data_sm: the text in message_payload, answered data_sm_resp ----
    // data_coding 0 given: left to itself the package labels GSM-7 bytes 0x01 (IA5), which smsgw
    // reads as IA5, as SMPP 3.4 says ('_' is 0x11 in GSM-7, a control character in IA5).
    const dataSm = await call(esme, 'data_sm', { source_addr: 'SMSGW', destination_addr: '14155550123',
                                                 data_coding: 0, message_payload: 'Hello from data_sm' });
    check('data_sm: data_sm_resp ESME_ROK with smsgw\'s message id',
          dataSm.command === 'data_sm_resp' && dataSm.command_status === 0 &&
            /^[0-9a-f-]{36}:1$/.test(dataSm.message_id || ''),
          `${dataSm.command} ${statusName(dataSm.command_status)} ${dataSm.message_id}`);
    sends.push({ name: 'data_sm', to: '14155550123', text: 'Hello from data_sm', id: dataSm.message_id });

    // ---- submit_multi: one message per accepted destination, the refused ones listed ----
    const multi = await call(esme, 'submit_multi', {
      source_addr: 'SMSGW', short_message: 'Hello to many',
      dest_address: [
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '14155550141' },
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '123' },
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: '14155550143' },
        { dl_name: 'friends' },
      ],
    });
    const unsuccess = (multi.unsuccess_sme || []).map((u) => `${u.destination_addr}:${statusName(u.error_status_code)}`);
    check('submit_multi: ESME_ROK, the first accepted id, unsuccess_sme for the bad number and the list',
          multi.command === 'submit_multi_resp' && multi.command_status === 0 &&
            /^[0-9a-f-]{36}:1$/.test(multi.message_id || '') &&
            JSON.stringify(unsuccess) ===
              JSON.stringify(['123:ESME_RINVDSTADR', 'friends:ESME_RCNTSUBDL']),
          `${multi.command} ${statusName(multi.command_status)} ${multi.message_id} ${JSON.stringify(unsuccess)}`);
    if (multi.message_id) {
      const request = multi.message_id.slice(0, -2);
      // ids are numbered by the position in the destination list
      sends.push({ name: 'submit_multi #1', to: '14155550141', text: 'Hello to many', id: `${request}:1` });
      sends.push({ name: 'submit_multi #3', to: '14155550143', text: 'Hello to many', id: `${request}:3` });
    }
    const tooMany = await call(esme, 'submit_multi', {
      source_addr: 'SMSGW', short_message: 'x',
      dest_address: Array.from({ length: 101 }, (_, i) => (
        { dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: `1415555${String(1000 + i)}` })),
    });
    check('submit_multi to 101 destinations: ESME_RINVNUMDESTS',
          tooMany.command_status === smpp.errors.ESME_RINVNUMDESTS, statusName(tooMany.command_status));
    const allBad = await call(esme, 'submit_multi', {
      source_addr: 'SMSGW', short_message: 'x', dest_address: [{ dl_name: 'everyone' }],
    });
    check('submit_multi with no destination accepted: the first refusal as command_status',
          allBad.command_status === smpp.errors.ESME_RCNTSUBDL, statusName(allBad.command_status));

    const replace = await call(esme, 'replace_sm', { message_id: 'x', source_addr: 'SMSGW',
                                                     short_message: 'y' });
    check('replace_sm (not offered): generic_nack ESME_RINVCMDID',
          replace.command === 'generic_nack' && replace.command_status === smpp.errors.ESME_RINVCMDID,
          `${replace.command} ${statusName(replace.command_status)}`);

    // ---- schedule_delivery_time and validity_period ----
    const inAnHour = await call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550151', short_message: 'later',
      schedule_delivery_time: '000000010000000R', validity_period: '000001000000000R',
    });
    check('relative schedule (an hour): ESME_ROK', inAnHour.command_status === 0,
          statusName(inAnHour.command_status));
    if (inAnHour.message_id) {
      const r = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages/${inAnHour.message_id}`,
                              account.api_key);
      const d = r.status === 200 ? JSON.parse(r.body) : {};
      const at = Date.parse(d.time || '');
      check('the scheduled message waits for its time (state scheduled, time in an hour)',
            d.state === 'scheduled' && Math.abs(at - (Date.now() + 3600000)) < 60000, r.body);
    }
    const absolute = await call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550152', short_message: 'at a time',
      schedule_delivery_time: new Date(Date.now() + 2 * 3600000),  // the package writes "...000+"
    });
    check('absolute schedule (in two hours): ESME_ROK', absolute.command_status === 0,
          statusName(absolute.command_status));
    const tooSoon = await call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550153', short_message: 'x',
      schedule_delivery_time: '000000000500000R',
    });
    check('schedule 5 minutes ahead (the API needs 15): ESME_RINVSCHED',
          tooSoon.command_status === smpp.errors.ESME_RINVSCHED, statusName(tooSoon.command_status));
    const garbled = await call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550153', short_message: 'x',
      schedule_delivery_time: '261332250000000+',
    });
    check('a schedule that is no date: ESME_RINVSCHED',
          garbled.command_status === smpp.errors.ESME_RINVSCHED, statusName(garbled.command_status));
    const expired = await call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550154', short_message: 'x',
      schedule_delivery_time: '000000010000000R', validity_period: '000000003000000R',
    });
    check('validity ending before the schedule: ESME_RINVEXPIRY',
          expired.command_status === smpp.errors.ESME_RINVEXPIRY, statusName(expired.command_status));

    const big = await oversized(port, 1024 * 1024);
    check('a PDU over the size limit: generic_nack ESME_RINVCMDLEN, then the connection closes',
          big.closed && big.data.length === 16 && big.data.readUInt32BE(4) === 0x80000000 &&
            big.data.readUInt32BE(8) === smpp.errors.ESME_RINVCMDLEN,
          `closed ${big.closed}, ${big.data.toString('hex')}`);

    // ---- the messages go through the pipeline like an API send ----
    const deadline = Date.now() + 20000;
    const details = {};
    while (Date.now() < deadline) {
      for (const s of sends.filter((x) => x.id)) {
        const r = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages/${s.id}`,
                                account.api_key);
        if (r.status === 200) details[s.id] = JSON.parse(r.body);
      }
      if (sends.every((s) => details[s.id] && details[s.id].status === 'Delivered')) break;
      await sleep(100);
    }
    for (const s of sends) {
      const d = details[s.id] || {};
      check(`${s.name}: Delivered, with the submitted text, from the sender, to the number`,
            d.status === 'Delivered' && d.body === s.text && d.sender === 'SMSGW' &&
              d.recipient === s.to, JSON.stringify(d));
    }

    // ---- the receipt comes back to the transceiver (registered_delivery 1 only) ----
    const receiptOf = (pdus, id) => pdus.filter((p) => p.receipted_message_id === id);
    await waitFor(() => receiptOf(esmeReceipts, sends[0].id).length > 0, 10000);
    const receipt = receiptOf(esmeReceipts, sends[0].id)[0] || {};
    const receiptText = receipt.short_message ? messageText(receipt) : '';
    check('receipt: deliver_sm esm_class 0x04, message_state DELIVERED, the Appendix B text',
          receipt.esm_class === 4 && receipt.message_state === 2 &&
            receipt.source_addr === sends[0].to && receipt.destination_addr === 'SMSGW' &&
            new RegExp(`^id:${sends[0].id} sub:001 dlvrd:001 submit date:\\d{10} ` +
                       'done date:\\d{10} stat:DELIVRD err:000 text:Hello over SMPP \\?sms$')
              .test(receiptText),
          JSON.stringify({ esm_class: receipt.esm_class, state: receipt.message_state,
                           source: receipt.source_addr, dest: receipt.destination_addr,
                           text: receiptText }));
    check('no receipt for a submit without registered_delivery',
          receiptOf(esmeReceipts, sends[1].id).length === 0);

    // ---- query_sm and cancel_sm on the account's messages ----
    const query = await call(esme, 'query_sm', { message_id: sends[0].id || 'x', source_addr: 'SMSGW' });
    // The package reads final_date (§7.1.1 absolute time) into a Date: it must be about now.
    check('query_sm of a Delivered message: message_state DELIVERED (2) with a final_date',
          query.command_status === 0 && query.message_id === sends[0].id &&
            query.message_state === 2 && query.final_date instanceof Date &&
            Math.abs(Date.now() - query.final_date.getTime()) < 60000,
          JSON.stringify({ status: statusName(query.command_status), id: query.message_id,
                           state: query.message_state, final: query.final_date }));
    const unknown = await call(esme, 'query_sm', { message_id: 'no-such-message', source_addr: '' });
    check('query_sm of an unknown id: ESME_RINVMSGID',
          unknown.command_status === smpp.errors.ESME_RINVMSGID, statusName(unknown.command_status));
    const late = await call(esme, 'cancel_sm', { message_id: sends[0].id || 'x', source_addr: 'SMSGW',
                                                 destination_addr: sends[0].to });
    check('cancel_sm of a Delivered message: ESME_RCANCELFAIL',
          late.command_status === smpp.errors.ESME_RCANCELFAIL, statusName(late.command_status));
    const noSuch = await call(esme, 'cancel_sm', { message_id: 'no-such-message' });
    check('cancel_sm of an unknown id: ESME_RINVMSGID',
          noSuch.command_status === smpp.errors.ESME_RINVMSGID, statusName(noSuch.command_status));

    // ---- throughput: a credential created with --max-rate 2 (another account: its own binds) ----
    const slowAccount = cli(['account', 'create', '--name', 'slow', '--data', dir, '--json']);
    const slow = cli(['smpp-credential', 'create', '--sid', slowAccount.sid, '--max-rate', '2',
                      '--data', dir, '--json']);
    const slowListed = cli(['smpp-credential', 'list', '--sid', slowAccount.sid, '--data', dir,
                            '--json']);
    check('list --json shows the credential\'s max_rate',
          slowListed.length === 1 && slowListed[0].max_rate === 2 && slowListed[0].type === null,
          JSON.stringify(slowListed));
    const slowEsme = await connect(port);
    const slowBound = await call(slowEsme, 'bind_transmitter',
                                 { system_id: slow.system_id, password: slow.password });
    check('bind of the --max-rate 2 credential: ESME_ROK', slowBound.command_status === 0,
          statusName(slowBound.command_status));
    const paced = [];
    for (let n = 0; n < 3; ++n) {
      const r = await call(slowEsme, 'submit_sm', { source_addr: 'SMSGW',
                                                    destination_addr: `1415555016${n}`,
                                                    short_message: `paced ${n}` });
      paced.push(statusName(r.command_status));
    }
    check('--max-rate 2: two a second stored, the third ESME_RTHROTTLED',
          JSON.stringify(paced) === JSON.stringify(['ESME_ROK', 'ESME_ROK', 'ESME_RTHROTTLED']),
          JSON.stringify(paced));
    await sleep(600);
    const later = await call(slowEsme, 'submit_sm', { source_addr: 'SMSGW',
                                                      destination_addr: '14155550169',
                                                      short_message: 'paced later' });
    check('--max-rate 2: half a second later it is taken again', later.command_status === 0,
          statusName(later.command_status));
    slowEsme.close();

    // ---- refusals ----
    for (const [name, systemId] of [['wrong password', cred.system_id], ['unknown system_id', 'nobody']]) {
      const other = await connect(port);
      const started = Date.now();
      const r = await call(other, 'bind_transmitter', { system_id: systemId, password: 'wrong123' });
      const took = Date.now() - started;
      check(`${name}: ESME_RINVPASWD after the refusal delay`,
            r.command_status === smpp.errors.ESME_RINVPASWD && took >= 900 && took < 3000,
            `${statusName(r.command_status)} after ${took} ms`);
      other.close();
    }
    const tx = await connect(port);
    const txBound = await call(tx, 'bind_transmitter',
                               { system_id: second.system_id, password: second.password });
    check('second bind of the account: ESME_ROK', txBound.command_status === 0,
          statusName(txBound.command_status));
    const third = await connect(port);
    const refused = await call(third, 'bind_receiver',
                               { system_id: cred.system_id, password: cred.password });
    check('third bind (max_binds_per_account = 2): ESME_RBINDFAIL',
          refused.command_status === smpp.errors.ESME_RBINDFAIL, statusName(refused.command_status));

    // ---- revocation closes the open bind, not the other credential's ----
    execFileSync(binary, ['smpp-credential', 'revoke', '--sid', account.sid, '--system-id',
                          second.system_id, '--data', dir], { timeout: 30000 });
    check('revoked credential: its bind is closed within 3 s', await closed(tx, 3000));
    const still = await call(esme, 'enquire_link', {});
    check('the other credential stays bound', still.command === 'enquire_link_resp');
    const again = await connect(port);
    const revokedBind = await call(again, 'bind_transceiver',
                                   { system_id: second.system_id, password: second.password });
    check('revoked credential: bind refused ESME_RINVPASWD',
          revokedBind.command_status === smpp.errors.ESME_RINVPASWD,
          statusName(revokedBind.command_status));

    const unbound = await call(esme, 'unbind', {});
    check('unbind answered', unbound.command === 'unbind_resp', unbound.command);
    check('the server closes the session after unbind_resp', await closed(esme, 3000));

    // ---- receipts wait while the account has no receiver, then arrive; unanswered, again ----
    const txOnly = await connect(port);
    const txOnlyReceipts = collect(txOnly);
    const txOnlyBound = await call(txOnly, 'bind_transmitter',
                                   { system_id: cred.system_id, password: cred.password });
    check('transmitter bind: ESME_ROK', txOnlyBound.command_status === 0,
          statusName(txOnlyBound.command_status));
    const waiting = await call(txOnly, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550141', short_message: 'wait for me',
      registered_delivery: 1,
    });
    check('submit with registered_delivery while no receiver is bound: ESME_ROK',
          waiting.command_status === 0, statusName(waiting.command_status));
    check('it is Delivered', await delivered(serve.port, account.sid, account.api_key,
                                             waiting.message_id));
    await call(txOnly, 'unbind', {});
    check('a transmitter bind gets no deliver_sm', txOnlyReceipts.length === 0,
          `${txOnlyReceipts.length} deliver_sm`);
    const rx = await connect(port);
    let answerNext = false;  // the first copy is left unanswered
    const rxReceipts = collect(rx, () => {
      const answer = answerNext;
      answerNext = true;
      return answer;
    });
    const rxBound = await call(rx, 'bind_receiver',
                               { system_id: cred.system_id, password: cred.password });
    check('bind_receiver: ESME_ROK', rxBound.command_status === 0,
          statusName(rxBound.command_status));
    await waitFor(() => rxReceipts.length >= 2, 10000);
    check('the receipt that waited arrives when a receiver binds',
          rxReceipts.length >= 1 && rxReceipts[0].receipted_message_id === waiting.message_id &&
            rxReceipts[0].esm_class === 4,
          JSON.stringify(rxReceipts.map((p) => p.receipted_message_id)));
    check('left unanswered, it is sent again after deliver_timeout',
          rxReceipts.length >= 2 && rxReceipts[1].receipted_message_id === waiting.message_id,
          `${rxReceipts.length} deliver_sm`);
    await sleep(2500);
    check('answered, it is not sent again', rxReceipts.length === 2,
          `${rxReceipts.length} deliver_sm`);
    await call(rx, 'unbind', {});

    const code = await stopServe(serve);
    check('serve stops with exit 0 on SIGTERM', code === 0,
          `exit ${code}; ${serve.stderr.slice(-1500)}`);
    check('no password in serve\'s output',
          ![cred.password, second.password].some((p) => serve.stderr.includes(p) ||
                                                        serve.stdout.includes(p)));
    serve = null;
  } finally {
    for (const s of sessions) {
      try { s.destroy(); } catch (e) { /* already closed */ }
    }
    if (serve) serve.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => process.exit(summary()));
