'use strict';
// Interop: the whole gateway (`smsgw serve`: HTTP API → store → dispatcher → SMPP session) against
// an SMSC written with the npm `smpp` package, an SMPP 3.4 implementation independent of ours.
// Usage: node npm_smsc_gateway_test.js /path/to/smsgw
//
// The SMSC listens on 127.0.0.1 port 0, answers submit_sm with hex message ids and sends text
// receipts with the id in decimal (as many carriers do; the connector says dlr_id_format =
// "hex-decimal"): DELIVRD, or UNDELIV for destinations ending in 4. The script creates an
// account, starts serve with a config pointing at the SMSC, sends a GSM-7, a UCS-2, a flash and a
// 3-part message and one that fails, and checks what the SMSC decoded and the statuses the API
// reports. Exits 0 only if every check passed. Bounded: every wait has a deadline; serve is
// stopped by PID.

const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const {
  loadSmpp, binaryArgument, makeChecker, overallDeadline, sleep, request, startServe, stopServe,
} = require('./harness');

const smpp = loadSmpp();
const binary = binaryArgument('npm_smsc_gateway_test.js');
const { check, summary } = makeChecker();

let serve = null;
overallDeadline(150000, () => serve && serve.child.kill('SIGKILL'));

// ---- the SMSC ----

let nextId = 0x4d2;
const submits = [];
const server = smpp.createServer({ debug: false }, (session) => {
  session.on('error', () => {});
  session.on('bind_transceiver', (pdu) => {
    if (pdu.system_id !== 'gateway' || pdu.password !== 'secret') {
      session.send(pdu.response({ command_status: smpp.ESME_RINVPASWD }));
      session.close();
      return;
    }
    session.send(pdu.response({ system_id: 'npm-smsc' }));
  });
  session.on('enquire_link', (pdu) => session.send(pdu.response()));
  session.on('unbind', (pdu) => {
    session.send(pdu.response());
    session.close();
  });
  session.on('submit_sm', (pdu) => {
    submits.push(pdu);
    const id = (nextId++).toString(16);
    session.send(pdu.response({ message_id: id }));
    const stat = pdu.destination_addr.endsWith('4') ? 'UNDELIV' : 'DELIVRD';
    const decimal = parseInt(id, 16).toString(10);
    setTimeout(() => session.deliver_sm({
      source_addr: pdu.destination_addr, destination_addr: pdu.source_addr, esm_class: 0x04,
      short_message: `id:${decimal} sub:001 dlvrd:001 submit date:2611270100 ` +
                     `done date:2611270101 stat:${stat} err:000 text:`,
    }), 20);
  });
});

function text(pdu) {
  const m = pdu.short_message;
  return typeof m === 'string' ? m : (m && typeof m.message === 'string' ? m.message : '');
}

async function main() {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const smscPort = server.address().port;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smsgw-interop-'));
  try {
    const config = path.join(dir, 'smsgw.toml');
    fs.writeFileSync(config, `[simulator]\nenabled = false\n[[smsc]]\nname = "npm"\n` +
                             `host = "127.0.0.1"\nport = ${smscPort}\nsystem_id = "gateway"\n` +
                             `password = "secret"\ndlr_id_format = "hex-decimal"\n`);
    const account = JSON.parse(execFileSync(binary, ['account', 'create', '--name', 'interop',
                                                     '--data', dir, '--json'], { timeout: 30000 }));
    serve = await startServe(binary, ['--data', dir, '--config', config]);
    const { port } = serve;

    const long3 = 'abcdefghij '.repeat(29);
    const sends = [
      { name: 'GSM-7', to: '+14155550121', body: 'Hello {smsgw} @ 100€', status: 'Delivered' },
      { name: 'UCS-2', to: '+14155550122', body: 'Привет, мир ✓', status: 'Delivered' },
      { name: 'flash', to: '+14155550123', body: 'Flash alert', flash: '1', status: 'Delivered' },
      { name: 'multipart', to: '+14155550125', body: long3, status: 'Delivered' },
      { name: 'undelivered', to: '+14155550124', body: 'Will fail', status: 'UnDelivered' },
    ];
    for (const s of sends) {
      const body = { to: s.to, sender: 'SMSGW', body: s.body };
      if (s.flash) body.flash = s.flash;
      const r = await request(port, 'POST', `/v1/${account.sid}/messages`, account.api_key,
                              JSON.stringify(body));
      check(`${s.name}: accepted`, r.status === 200, `${r.status} ${r.body}`);
      s.id = r.status === 200 ? JSON.parse(r.body).data[0].message_id : '';
    }

    const deadline = Date.now() + 60000;
    let statuses = {};
    while (Date.now() < deadline) {
      const ids = sends.map((s) => s.id).join(',');
      const r = await request(port, 'GET', `/v1/${account.sid}/messages/status?message_ids=` +
                                            encodeURIComponent(ids), account.api_key);
      statuses = Object.fromEntries(JSON.parse(r.body).data.map((e) => [e.campaign_id, e]));
      if (sends.every((s) => statuses[s.id] &&
                             ['Delivered', 'UnDelivered', 'NotSent'].includes(statuses[s.id].status))) {
        break;
      }
      await sleep(100);
    }
    for (const s of sends) {
      const st = statuses[s.id] || {};
      check(`${s.name}: status ${s.status}`, st.status === s.status, JSON.stringify(st));
    }

    const byDest = (to) => submits.filter((p) => p.destination_addr === to.slice(1));
    const gsm = byDest('+14155550121');
    check('GSM-7: one submit_sm, data_coding 0, same text',
          gsm.length === 1 && gsm[0].data_coding === 0 && text(gsm[0]) === sends[0].body,
          JSON.stringify(gsm.map(text)));
    const ucs = byDest('+14155550122');
    check('UCS-2: data_coding 8, same text',
          ucs.length === 1 && ucs[0].data_coding === 8 && text(ucs[0]) === sends[1].body);
    const flash = byDest('+14155550123');
    check('flash: data_coding 0x10', flash.length === 1 && flash[0].data_coding === 0x10);
    const parts = byDest('+14155550125');
    const udhs = parts.map((p) => (p.short_message.udh || [])[0]);
    check('multipart: 3 parts with one reference, numbered in order, joining to the text',
          parts.length === 3 &&
            udhs.every((u, i) => u && u[2] === udhs[0][2] && u[3] === 3 && u[4] === i + 1) &&
            parts.map(text).join('') === long3,
          JSON.stringify(udhs));
    check('every part asked for a receipt', submits.every((p) => p.registered_delivery === 1));

    const code = await stopServe(serve);
    check('serve stops with exit 0 on SIGTERM', code === 0,
          `exit ${code}; ${serve.stderr.slice(-1500)}`);
    serve = null;
  } finally {
    if (serve) serve.child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main()
  .catch((e) => check('no exception', false, e.stack))
  .finally(() => {
    server.close();
    process.exit(summary());
  });
