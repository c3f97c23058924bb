'use strict';
// Interop: concatenated submits from an ESME written with the npm `smpp` package against smsgw's
// SMPP server ([smpp_server], docs/smpp-server.md "Concatenated messages").
// Usage: node npm_esme_concat_test.js /path/to/smsgw
//
// Starts `smsgw serve` (embedded SMSC simulator on, SMPP server on 127.0.0.1 port 0) with a
// credential from the CLI, binds as transceiver and sends: a 3-part GSM-7 message with 8-bit UDHs
// (parts out of order, one part twice), 3 parts pipelined in one TCP segment, a 2-part message
// with SAR TLVs and a 16-bit reference whose UCS-2 text has a surrogate pair split between the
// parts, parts that disagree with their set, and a message to an invalid destination. Checks that every part's submit_sm_resp is ESME_ROK with the same message id, that
// the message log holds one message per set with the whole text, that it reaches Delivered
// through the simulator in as many carrier segments as its length needs, that query_sm knows the
// id, that the customer gets one receipt per message, and that a message whose last part never
// comes expires after reassembly_timeout with a warning. Exits 0 only if every check passed.
// Bounded: every wait has a deadline; serve is stopped by PID.

const fs = require('fs');
const os = require('os');
const path = require('path');

const {
  loadSmpp, binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
} = require('./harness');
const {
  smppPort, connect, call, waitFor, statusName, cli: cliOf,
} = require('./esme');

const smpp = loadSmpp();
const binary = binaryArgument('npm_esme_concat_test.js');
const { check, summary } = makeChecker();

let serve = null;
let esme = null;
let decimalEsme = null;
overallDeadline(90000, () => serve && serve.child.kill('SIGKILL'));

const cli = (args) => cliOf(binary, args);

// GSM 03.38 one septet per octet, for the ASCII letters, digits and punctuation used here.
const gsm = (text) => Buffer.from(text, 'latin1');

// A part with an 8-bit concatenation UDH (05 00 03 ref total seq).
function udhPart(to, ref, total, seq, text, extra = {}) {
  return {
    source_addr: 'SMSGW', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to,
    esm_class: 0x40, data_coding: 0, registered_delivery: 1,
    short_message: Buffer.concat([Buffer.from([0x05, 0x00, 0x03, ref, total, seq]), gsm(text)]),
    ...extra,
  };
}

// A part placed by SAR TLVs, its text already encoded.
function sarPart(to, ref, total, seq, bytes, dataCoding, extra = {}) {
  return {
    source_addr: 'SMSGW', dest_addr_ton: 1, dest_addr_npi: 1, destination_addr: to,
    data_coding: dataCoding, registered_delivery: 1, short_message: bytes,
    sar_msg_ref_num: ref, sar_total_segments: total, sar_segment_seqnum: seq, ...extra,
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-interop-concat-'));
  try {
    const config = path.join(dir, 'smsgw.toml');
    fs.writeFileSync(config, '[simulator]\nreceipt_delay = "100ms"\n' +
                             '[smpp_server]\nlisten = "127.0.0.1:0"\nwindow = 10\n' +
                             'reassembly_timeout = "10s"\n');
    const account = cli(['account', 'create', '--name', 'interop', '--data', dir, '--json']);
    const cred = cli(['smpp-credential', 'create', '--sid', account.sid, '--data', dir, '--json']);
    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const port = await smppPort(serve);

    esme = await connect(port);
    const receipts = [];
    esme.on('deliver_sm', (pdu) => { receipts.push(pdu); esme.send(pdu.response()); });
    const bound = await call(esme, 'bind_transceiver',
                             { system_id: cred.system_id, password: cred.password });
    check('bind_transceiver: ESME_ROK', bound.command_status === 0, statusName(bound.command_status));

    // ---- a message whose second part never comes: answered, then expired and logged ----
    const lonely = await call(esme, 'submit_sm', udhPart('14155550169', 0x55, 2, 1, 'alone'));
    check('the first part of a message that never completes: ESME_ROK with an id',
          lonely.command_status === 0 && /^[0-9a-f-]{36}:1$/.test(lonely.message_id || ''),
          `${statusName(lonely.command_status)} ${lonely.message_id}`);
    const lonelyAt = Date.now();

    // ---- 3 parts with 8-bit UDHs, sent 3, 1, 1 again, 2 ----
    const udhTexts = ['This long message came in three parts ', 'over SMPP with UDH headers, ',
                      'and smsgw put it back together.'];
    const udhTo = '14155550161';
    const udhAnswers = [];
    for (const seq of [3, 1, 1, 2]) {
      udhAnswers.push(await call(esme, 'submit_sm', udhPart(udhTo, 0xA7, 3, seq, udhTexts[seq - 1])));
    }
    const udhId = udhAnswers[0].message_id;
    check('UDH: every part (the repeat too) ESME_ROK with one message id',
          udhAnswers.every((r) => r.command_status === 0 && r.message_id === udhId) &&
            /^[0-9a-f-]{36}:1$/.test(udhId || ''),
          JSON.stringify(udhAnswers.map((r) => [statusName(r.command_status), r.message_id])));

    // ---- 2 parts with SAR TLVs (16-bit reference), UCS-2 with a surrogate pair cut in two ----
    const ucs2Text = 'Grüße 😀 from SAR';
    const utf16 = Buffer.from(ucs2Text, 'utf16le').swap16();  // UTF-16BE
    const cut = Buffer.from('Grüße ', 'utf16le').length + 2;  // between the pair's halves
    const sarTo = '14155550162';
    const sar1 = await call(esme, 'submit_sm', sarPart(sarTo, 0x1234, 2, 1, utf16.subarray(0, cut), 8));
    // A part of this set that disagrees with it: another total, another data_coding.
    const wrongTotal = await call(esme, 'submit_sm',
                                  sarPart(sarTo, 0x1234, 3, 2, utf16.subarray(cut), 8));
    // 0xC4: SMPP 3.4's ESME_RINVOPTPARAMVAL, which the package calls by its 5.0 name.
    check('SAR: a part with another total is ESME_RINVOPTPARAMVAL (0xC4)',
          wrongTotal.command_status === 0xC4 && smpp.errors.ESME_RINVTLVVAL === 0xC4,
          statusName(wrongTotal.command_status));
    const wrongCoding = await call(esme, 'submit_sm',
                                   sarPart(sarTo, 0x1234, 2, 2, gsm('x'), 0));
    check('SAR: a part with another data_coding is ESME_RSUBMITFAIL',
          wrongCoding.command_status === smpp.errors.ESME_RSUBMITFAIL,
          statusName(wrongCoding.command_status));
    const sar2 = await call(esme, 'submit_sm', sarPart(sarTo, 0x1234, 2, 2, utf16.subarray(cut), 8));
    check('SAR: both parts ESME_ROK with one message id',
          sar1.command_status === 0 && sar2.command_status === 0 &&
            sar1.message_id === sar2.message_id && sar1.message_id !== udhId,
          `${statusName(sar1.command_status)} ${sar1.message_id} ${statusName(sar2.command_status)} ${sar2.message_id}`);
    const sarId = sar1.message_id;

    // ---- a whole message the API would refuse: its last part gets the refusal ----
    const badFirst = await call(esme, 'submit_sm', udhPart('123', 0x30, 2, 1, 'to nowhere '));
    const badLast = await call(esme, 'submit_sm', udhPart('123', 0x30, 2, 2, 'at all'));
    check('an invalid destination: the first part staged (ESME_ROK), the last ESME_RINVDSTADR',
          badFirst.command_status === 0 && badLast.command_status === smpp.errors.ESME_RINVDSTADR,
          `${statusName(badFirst.command_status)} ${statusName(badLast.command_status)}`);
    const badQuery = await call(esme, 'query_sm', { message_id: badFirst.message_id || 'x',
                                                    source_addr: 'SMSGW' });
    check('the refused message was never stored: query_sm ESME_RINVMSGID',
          badQuery.command_status === smpp.errors.ESME_RINVMSGID, statusName(badQuery.command_status));

    // ---- a part with a UDH and no concatenation element is refused ----
    const noConcat = await call(esme, 'submit_sm', {
      source_addr: 'SMSGW', destination_addr: '14155550163', esm_class: 0x40,
      short_message: Buffer.from([0x04, 0x05, 0x02, 0x0B, 0x84, 0x41]),
    });
    check('a UDH without a concatenation element: ESME_RINVESMCLASS',
          noConcat.command_status === smpp.errors.ESME_RINVESMCLASS,
          statusName(noConcat.command_status));

    // ---- one message each, with the whole text, delivered through the simulator ----
    const wanted = [
      { id: udhId, to: udhTo, body: udhTexts.join('') },
      { id: sarId, to: sarTo, body: ucs2Text },
    ];
    const details = {};
    const deadline = Date.now() + 20000;
    while (Date.now() < deadline) {
      for (const w of wanted) {
        const r = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages/${w.id}`,
                                account.api_key);
        if (r.status === 200) details[w.id] = JSON.parse(r.body);
      }
      if (wanted.every((w) => details[w.id] && details[w.id].status === 'Delivered')) break;
      await sleep(100);
    }
    for (const w of wanted) {
      const d = details[w.id] || {};
      check(`${w.to}: one message with the whole text, Delivered`,
            d.body === w.body && d.recipient === w.to && d.status === 'Delivered',
            JSON.stringify(d).slice(0, 600));
    }
    const udhDetail = details[udhId] || {};
    check('the 97-character GSM-7 message went to the carrier as one segment',
          udhDetail.segments === 1 && (udhDetail.parts || []).length === 1,
          JSON.stringify({ segments: udhDetail.segments, parts: udhDetail.parts }));
    const list = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages?limit=50`,
                               account.api_key);
    const listed = list.status === 200 ? JSON.parse(list.body).data : [];
    check('the message log holds exactly the two reassembled messages',
          listed.length === 2 && listed.every((m) => [udhId, sarId].includes(m.message_id)),
          list.body.slice(0, 800));

    // ---- a long one: 4 parts of 150 characters, sent on in the carrier's own 3+ segments ----
    const longTo = '14155550164';
    const chunks = [0, 1, 2, 3].map((i) => `${'abcdefghij'.repeat(15).slice(0, 149)}${i}`);
    const longAnswers = [];
    for (let seq = 1; seq <= 4; ++seq) {
      longAnswers.push(await call(esme, 'submit_sm', udhPart(longTo, 9, 4, seq, chunks[seq - 1])));
    }
    const longId = longAnswers[0].message_id;
    check('4 parts: ESME_ROK, one id', longAnswers.every((r) => r.command_status === 0 &&
                                                               r.message_id === longId),
          JSON.stringify(longAnswers.map((r) => [statusName(r.command_status), r.message_id])));
    let long = {};
    const longDeadline = Date.now() + 20000;
    while (Date.now() < longDeadline) {
      const r = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages/${longId}`,
                              account.api_key);
      if (r.status === 200) long = JSON.parse(r.body);
      if (long.status === 'Delivered') break;
      await sleep(100);
    }
    check('600 characters: one message, the whole text, split again for the carrier (4 segments)',
          long.body === chunks.join('') && long.segments === 4 &&
            (long.parts || []).length === 4 && long.status === 'Delivered',
          JSON.stringify({ body: (long.body || '').length, segments: long.segments,
                           parts: (long.parts || []).length, status: long.status }));

    // ---- 3 parts pipelined (one TCP segment, window 10): stored at once, one message ----
    const burstTo = '14155550165';
    const burstTexts = ['Pipelined ', 'parts arrive ', 'together.'];
    esme.socket.cork();
    const burst = [1, 2, 3].map((seq) =>
      call(esme, 'submit_sm', udhPart(burstTo, 0x21, 3, seq, burstTexts[seq - 1],
                                      { registered_delivery: 0 })));
    process.nextTick(() => esme.socket.uncork());
    const burstAnswers = await Promise.all(burst);
    const burstId = burstAnswers[0].message_id;
    check('3 parts at once: each ESME_ROK with one message id',
          burstAnswers.every((r) => r.command_status === 0 && r.message_id === burstId) &&
            /^[0-9a-f-]{36}:1$/.test(burstId || ''),
          JSON.stringify(burstAnswers.map((r) => [statusName(r.command_status), r.message_id])));
    let burstDetail = {};
    const burstDeadline = Date.now() + 20000;
    while (Date.now() < burstDeadline) {
      const r = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages/${burstId}`,
                              account.api_key);
      if (r.status === 200) burstDetail = JSON.parse(r.body);
      if (burstDetail.status === 'Delivered') break;
      await sleep(100);
    }
    check('3 parts at once: one message with the whole text, Delivered',
          burstDetail.body === burstTexts.join('') && burstDetail.status === 'Delivered',
          JSON.stringify(burstDetail).slice(0, 400));

    const query = await call(esme, 'query_sm', { message_id: udhId, source_addr: 'SMSGW' });
    check('query_sm knows the id the parts were answered with: DELIVERED',
          query.command_status === 0 && query.message_state === 2,
          `${statusName(query.command_status)} state ${query.message_state}`);

    // ---- one receipt per message, not per part ----
    await waitFor(() => receipts.length >= 3, 10000);
    await sleep(500);  // and no more
    const receipted = receipts.filter((p) => p.esm_class === 4).map((p) => p.receipted_message_id);
    check('one receipt per message (3 messages, 9 parts asked for receipts)',
          receipted.length === 3 && [udhId, sarId, longId].every((id) => receipted.includes(id)),
          JSON.stringify(receipted));

    // The lonely part's message: never stored, its expiry logged after reassembly_timeout.
    const expiredLine = () => serve.stderr.split('\n').find(
      (l) => l.includes(lonely.message_id) && l.includes('expired') && l.includes('1 of 2 parts'));
    await waitFor(() => expiredLine(), Math.max(0, lonelyAt + 15000 - Date.now()));
    check('an incomplete message expires after reassembly_timeout with a warning naming its id',
          Boolean(expiredLine()), serve.stderr.slice(-1500));
    const never = await request(serve.port, 'GET', `/ext/v1/${account.sid}/messages/${lonely.message_id}`,
                                account.api_key);
    check('the expired message was never stored', never.status === 404, `${never.status}`);

    // ---- a credential whose ids are decimal (created over REST): the parts' id in digits ----
    const created = await request(serve.port, 'POST', `/ext/v1/${account.sid}/smpp-credentials`,
                                  account.api_key, JSON.stringify({ id_format: 'decimal' }));
    const decimalCred = created.status === 201 ? JSON.parse(created.body) : {};
    check('REST: a credential with id_format decimal is created',
          created.status === 201 && decimalCred.id_format === 'decimal', created.body);
    decimalEsme = await connect(port);
    const decimalBound = await call(decimalEsme, 'bind_transmitter', {
      system_id: decimalCred.system_id, password: decimalCred.password });
    const decimalAnswers = [];
    for (const seq of [1, 2]) {
      decimalAnswers.push(await call(decimalEsme, 'submit_sm',
                                     udhPart('14155550166', 0x42, 2, seq, `decimal part ${seq} `,
                                             { registered_delivery: 0 })));
    }
    const decimalId = decimalAnswers[0].message_id;
    check('decimal credential: both parts ESME_ROK with one all-digit id',
          decimalBound.command_status === 0 &&
            decimalAnswers.every((r) => r.command_status === 0 && r.message_id === decimalId) &&
            /^[0-9]{40,64}$/.test(decimalId || ''),
          JSON.stringify(decimalAnswers.map((r) => [statusName(r.command_status), r.message_id])));
    const decimalQuery = await call(decimalEsme, 'query_sm', { message_id: decimalId || 'x',
                                                               source_addr: 'SMSGW' });
    check('decimal credential: query_sm finds the message by that id',
          decimalQuery.command_status === 0, statusName(decimalQuery.command_status));
    await call(decimalEsme, 'unbind', {});

    await call(esme, 'unbind', {});
    const code = await stopServe(serve);
    check('serve stops with exit 0 on SIGTERM', code === 0, `exit ${code}; ${serve.stderr.slice(-1500)}`);
    serve = null;
  } finally {
    for (const session of [esme, decimalEsme]) {
      if (session) {
        try { session.destroy(); } catch (e) { /* already closed */ }
      }
    }
    if (serve) serve.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => process.exit(summary()));
