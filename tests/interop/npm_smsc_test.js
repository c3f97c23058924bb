'use strict';
// Interop: our ESME session (through `smsgw smpp-send`, which runs the gateway's smpp::Session)
// against an SMSC written with the npm `smpp` package, an SMPP 3.4 implementation independent of
// ours. Usage: node npm_smsc_test.js /path/to/smsgw
//
// The SMSC listens on 127.0.0.1 port 0 and checks what arrives: GSM-7 (with an escape
// character), UCS-2, flash, a 3-part UDH message and a 2-part SAR message, each decoded by the
// package and compared with what was sent. It answers with hex message ids, probes the ESME with
// enquire_link, sends an MO before the first receipt, and sends receipts in both forms (TLVs
// with the hex id; text only with the id in decimal, as many carriers do). smpp-send must match
// every receipt, report the MO, unbind, and exit 0; a bad password must be refused with exit 1.
// Exits 0 only if every check passed. Bounded: each smpp-send run and the whole script have
// deadlines; every child is killed by PID.

const { execFile } = require('child_process');

const { loadSmpp, binaryArgument, makeChecker, overallDeadline } = require('./harness');

const smpp = loadSmpp();

const SYSTEM_ID = 'interop';
const PASSWORD = 'secret';
const RUN_TIMEOUT_MS = 30000;

const binary = binaryArgument('npm_smsc_test.js');
overallDeadline(120000);

const { check, summary } = makeChecker();

// ---- the SMSC ----

let nextId = 0x4d2;
const submits = [];   // every submit_sm, decoded by the package
const unbinds = [];
const enquireAnswers = [];
let bindsRefused = 0;
let moSent = false;

function receiptText(id, stat) {
  return `id:${id} sub:001 dlvrd:001 submit date:2611270100 done date:2611270101 ` +
         `stat:${stat} err:000 text:`;
}

const server = smpp.createServer({ debug: false }, (session) => {
  session.on('error', () => {});
  session.on('bind_transceiver', (pdu) => {
    if (pdu.system_id !== SYSTEM_ID || pdu.password !== PASSWORD) {
      bindsRefused++;
      session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
      session.close();
      return;
    }
    session.send(pdu.response({ system_id: 'npm-smsc' }));
    // The ESME must answer the SMSC's enquire_link too.
    session.enquire_link({}, (resp) => enquireAnswers.push(resp.command_status));
  });
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    unbinds.push(pdu.sequence_number);
    session.send(pdu.response());
    session.close();
  });
  session.on('submit_sm', (pdu) => {
    submits.push(pdu);
    const id = (nextId++).toString(16);
    session.send(pdu.response({ message_id: id }));
    if (!(pdu.registered_delivery & 0x01)) {
      return;
    }
    if (!moSent) {
      moSent = true;
      session.deliver_sm({
        source_addr: '+14155550100', source_addr_ton: 1, source_addr_npi: 1,
        destination_addr: '56767', esm_class: 0, data_coding: 8,
        short_message: 'Ответ ✓',
      });
    }
    const stat = 'DELIVRD';
    const decimal = parseInt(id, 16).toString(10);
    // Alternate the two receipt forms carriers use.
    const withTlv = submits.length % 2 === 0;
    const receipt = {
      source_addr: pdu.destination_addr, destination_addr: pdu.source_addr,
      esm_class: 0x04, short_message: receiptText(withTlv ? id : decimal, stat),
    };
    if (withTlv) {
      receipt.receipted_message_id = id;
      receipt.message_state = 2;
    }
    setTimeout(() => session.deliver_sm(receipt), 20);
  });
});

// ---- smpp-send runs ----

function smppSend(args) {
  return new Promise((resolve) => {
    execFile(binary, ['smpp-send', '--host', '127.0.0.1', '--port', String(port),
                      '--from', 'SMSGW', '--to', '+14155550123', '--json', ...args],
             { timeout: RUN_TIMEOUT_MS, killSignal: 'SIGKILL' },
             (error, stdout, stderr) => {
               let report = null;
               try {
                 report = JSON.parse(stdout);
               } catch (e) { /* checked by the caller */ }
               resolve({ code: error ? (error.code ?? -1) : 0, report, stdout, stderr });
             });
  });
}

function text(pdu) {
  const m = pdu.short_message;
  return typeof m === 'string' ? m : (m && typeof m.message === 'string' ? m.message : '');
}

async function sendAndCheck(name, args, expectParts, verify) {
  const before = submits.length;
  const unbindsBefore = unbinds.length;
  const run = await smppSend(['--system-id', SYSTEM_ID, '--password', PASSWORD,
                              '--wait-receipt', '10', ...args]);
  const ok = check(`${name}: smpp-send exits 0`, run.code === 0 && run.report,
                   `exit ${run.code}; stdout ${run.stdout.trim()}; stderr ${run.stderr.slice(-1500)}`);
  if (!ok) {
    return run;
  }
  const parts = submits.slice(before);
  check(`${name}: ${expectParts} submit_sm arrived`, parts.length === expectParts,
        `got ${parts.length}`);
  check(`${name}: every part accepted with our id`,
        run.report.parts.length === expectParts && run.report.parts.every((p) => p.accepted));
  check(`${name}: a receipt matched every part`,
        run.report.all_receipts && run.report.receipts.length === expectParts &&
          run.report.receipts.every((r) => r.stat === 'DELIVRD'),
        JSON.stringify(run.report.receipts));
  check(`${name}: unbound at the end`, unbinds.length === unbindsBefore + 1);
  verify(parts, run.report);
  return run;
}

let port;
async function main() {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = server.address().port;

  await sendAndCheck('GSM-7', ['--text', 'Hello {smsgw} @ 100€'], 1, (parts, report) => {
    check('GSM-7: data_coding 0', parts[0].data_coding === 0, parts[0].data_coding);
    check('GSM-7: the package decodes the same text', text(parts[0]) === 'Hello {smsgw} @ 100€',
          JSON.stringify(text(parts[0])));
    check('GSM-7: alphanumeric sender as TON 5', parts[0].source_addr_ton === 5);
    check('GSM-7: international destination as TON 1 / NPI 1, without +',
          parts[0].dest_addr_ton === 1 && parts[0].dest_addr_npi === 1 &&
            parts[0].destination_addr === '14155550123');
    check('GSM-7: receipt requested', parts[0].registered_delivery === 1);
    check('MO delivered during the session reached smpp-send',
          report.mo.length === 1 && report.mo[0].text === 'Ответ ✓' &&
            report.mo[0].from === '+14155550100',
          JSON.stringify(report.mo));
  });
  check('the ESME answered the SMSC\'s enquire_link',
        enquireAnswers.length >= 1 && enquireAnswers.every((s) => s === 0),
        JSON.stringify(enquireAnswers));

  await sendAndCheck('UCS-2', ['--text', 'Привет, мир ✓'], 1, (parts, report) => {
    check('UCS-2: data_coding 8', parts[0].data_coding === 8, parts[0].data_coding);
    check('UCS-2: the package decodes the same text', text(parts[0]) === 'Привет, мир ✓',
          JSON.stringify(text(parts[0])));
    check('UCS-2: reported as UCS2', report.encoding === 'UCS2');
  });

  await sendAndCheck('flash', ['--text', 'Flash alert', '--flash'], 1, (parts) => {
    check('flash: data_coding 0x10 (class 0)', parts[0].data_coding === 0x10,
          parts[0].data_coding);
    check('flash: text', text(parts[0]) === 'Flash alert', JSON.stringify(text(parts[0])));
  });

  // 319 GSM-7 characters: three parts of at most 153; 198: two.
  const long3 = 'abcdefghij '.repeat(29);
  const long = 'abcdefghij '.repeat(18);
  await sendAndCheck('multipart UDH', ['--text', long3], 3, (parts) => {
    const udhs = parts.map((p) => (p.short_message.udh || [])[0]);
    check('multipart UDH: UDHI set on every part', parts.every((p) => (p.esm_class & 0x40) !== 0));
    check('multipart UDH: IEI 0 with one reference, 3 parts, numbered 1..3 in order',
          udhs.every((u, i) => u && u[0] === 0 && u[2] === udhs[0][2] && u[3] === 3 &&
                               u[4] === i + 1),
          JSON.stringify(udhs));
    check('multipart UDH: the parts join to the text', parts.map(text).join('') === long3,
          JSON.stringify(parts.map(text)));
  });

  await sendAndCheck('multipart SAR', ['--text', long, '--concat', 'sar'], 2, (parts) => {
    check('multipart SAR: sar TLVs, one reference, numbered in order',
          parts.every((p, i) => p.sar_total_segments === 2 && p.sar_segment_seqnum === i + 1 &&
                                p.sar_msg_ref_num === parts[0].sar_msg_ref_num),
          JSON.stringify(parts.map((p) => [p.sar_msg_ref_num, p.sar_total_segments,
                                           p.sar_segment_seqnum])));
    check('multipart SAR: no UDH', parts.every((p) => (p.esm_class & 0x40) === 0));
    check('multipart SAR: the parts join to the text', parts.map(text).join('') === long);
  });

  const refused = await smppSend(['--system-id', SYSTEM_ID, '--password', 'wrong',
                                  '--text', 'never sent']);
  check('bad password: exit 1', refused.code === 1, `exit ${refused.code}`);
  check('bad password: reported as ESME_RINVPASWD',
        refused.report && /ESME_RINVPASWD/.test(refused.report.error || ''), refused.stdout);
  check('bad password: the SMSC refused one bind', bindsRefused === 1, bindsRefused);
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => {
    server.close();
    process.exit(summary());
  });
