'use strict';
// Checks docs/api/openapi.json: that it is a valid OpenAPI 3.1 document (the OpenAPI
// specification's own JSON schema, @seriousme/openapi-schema-validator), and that every response
// recorded from the real binary (record_responses_test.cpp, one JSON object a line) is one the
// document describes: the path and method are documented, the status is one of the operation's
// responses, and the body matches that response's schema (Ajv, JSON Schema 2020-12, the
// dialect of OpenAPI 3.1) or is empty when the response has no content; and the body of each
// request the server accepted (2xx) matches the operation's request schema.
//
// usage: node validate_responses.js <openapi.json> <responses.jsonl>

const fs = require('fs');
const path = require('path');

let Ajv2020, addFormats, Validator;
try {
  Ajv2020 = require('ajv/dist/2020');
  addFormats = require('ajv-formats');
  ({Validator} = require('@seriousme/openapi-schema-validator'));
} catch (e) {
  console.error(`${e.message}\nrun \`npm ci\` in ${__dirname} first (make test does)`);
  process.exit(1);
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

// The document's path template for a concrete path: literal segments must be equal, a
// {parameter} takes any non-empty segment.
function findTemplate(doc, target) {
  const segments = target.split('?')[0].split('/').filter((s) => s !== '');
  const found = Object.keys(doc.paths).filter((template) => {
    const t = template.split('/').filter((s) => s !== '');
    return t.length === segments.length &&
        t.every((s, i) => s === segments[i] || (/^\{.+\}$/.test(s) && segments[i] !== ''));
  });
  return found;
}

// Resolves a local "$ref" ("#/components/...") of an OpenAPI object (not of a schema).
function deref(doc, obj) {
  while (obj && typeof obj.$ref === 'string') {
    const pointer = obj.$ref.replace(/^#\//, '').split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    obj = pointer.reduce((o, key) => (o === undefined ? undefined : o[key]), doc);
  }
  return obj;
}

async function main() {
  const [docPath, responsesPath] = process.argv.slice(2);
  if (!docPath || !responsesPath) {
    console.error('usage: node validate_responses.js <openapi.json> <responses.jsonl>');
    process.exit(2);
  }
  const doc = JSON.parse(fs.readFileSync(docPath, 'utf8'));
  const failures = [];

  const validator = new Validator();
  const valid = await validator.validate(doc);
  if (!valid.valid || validator.version !== '3.1') {
    failures.push(`${path.basename(docPath)} is not a valid OpenAPI 3.1 document: ` +
                  JSON.stringify(valid.errors, null, 1));
  }

  // Each response schema is compiled next to the document's components, so that its
  // "#/components/schemas/..." references resolve.
  const ajv = new Ajv2020({strict: false, allErrors: true});
  addFormats(ajv);
  const compiled = new Map();
  const schemaValidator = (key, schema) => {
    if (!compiled.has(key)) {
      compiled.set(key, ajv.compile({$id: `urn:smsgw:${compiled.size}`, allOf: [schema],
                                     components: doc.components}));
    }
    return compiled.get(key);
  };

  // A request the server accepted must be one the document allows: its body matches the
  // request schema of its media type (form fields as strings; a repeated `to` is joined as the
  // server joins it).
  const checkRequest = (operation, r, where) => {
    const form = r.request_content_type.startsWith('application/x-www-form-urlencoded');
    const type = form ? 'application/x-www-form-urlencoded' : 'application/json';
    const media = operation.requestBody && deref(doc, operation.requestBody).content[type];
    if (!media) {
      failures.push(`${where}: accepted a ${type} body, which ${operation.operationId} does not ` +
                    'document');
      return;
    }
    let body;
    if (form) {
      body = {};
      for (const [k, v] of new URLSearchParams(r.request_body)) {
        body[k] = k === 'to' && body[k] ? `${body[k]},${v}` : v;
      }
    } else {
      body = JSON.parse(r.request_body);
    }
    const validate = schemaValidator(`${operation.operationId} request ${type}`, media.schema);
    if (!validate(body)) {
      failures.push(`${where}: the accepted request does not match the request schema of ` +
                    `${operation.operationId}:\n  ` +
                    `${ajv.errorsText(validate.errors, {separator: '\n  '})}\n` +
                    `  request: ${r.request_body.slice(0, 500)}`);
    }
  };

  const lines = fs.readFileSync(responsesPath, 'utf8').split('\n').filter((l) => l.trim());
  if (lines.length === 0) {
    failures.push(`${responsesPath} holds no responses`);
  }
  const covered = new Set();
  for (const line of lines) {
    const r = JSON.parse(line);
    const where = `${r.method} ${r.target} -> ${r.status}`;
    const templates = findTemplate(doc, r.target);
    if (templates.length !== 1) {
      failures.push(`${where}: the path matches ${templates.length} documented paths`);
      continue;
    }
    const operation = doc.paths[templates[0]][r.method.toLowerCase()];
    if (!operation) {
      failures.push(`${where}: ${r.method} ${templates[0]} is not documented`);
      continue;
    }
    covered.add(`${r.method} ${templates[0]}`);
    if (r.status >= 200 && r.status < 300 && r.request_body) {
      checkRequest(operation, r, where);
    }
    const response = deref(doc, operation.responses[String(r.status)] || operation.responses.default);
    if (!response) {
      failures.push(`${where}: status ${r.status} is not a documented response of ` +
                    `${operation.operationId} (${Object.keys(operation.responses).join(', ')})`);
      continue;
    }
    if (templates[0] === '/openapi.json' && r.status === 200 &&
        r.body !== fs.readFileSync(docPath, 'utf8')) {
      failures.push(`${where}: the document served is not the bytes of ${docPath}`);
    }
    const media = response.content && response.content['application/json'];
    if (!media) {
      if (r.body !== '') {
        failures.push(`${where}: documented without a body, answered ${r.body.slice(0, 200)}`);
      }
      continue;
    }
    if (!r.content_type.startsWith('application/json')) {
      failures.push(`${where}: Content-Type ${r.content_type}, documented application/json`);
      continue;
    }
    let body;
    try {
      body = JSON.parse(r.body);
    } catch (e) {
      failures.push(`${where}: the body is not JSON: ${e.message}`);
      continue;
    }
    const validate = schemaValidator(`${operation.operationId} ${r.status}`, media.schema);
    if (!validate(body)) {
      failures.push(`${where}: the body does not match the schema of ${operation.operationId} ` +
                    `${r.status}:\n  ${ajv.errorsText(validate.errors, {separator: '\n  '})}\n` +
                    `  body: ${r.body.slice(0, 500)}`);
    }
  }

  let operations = 0;
  for (const item of Object.values(doc.paths)) {
    operations += METHODS.filter((m) => item[m]).length;
  }
  console.log(`${lines.length} responses checked; ${covered.size} of ${operations} documented ` +
              'operations exercised');
  if (failures.length) {
    console.error(`FAIL: ${failures.length} response(s) differ from ${docPath}:\n` +
                  failures.join('\n'));
    process.exit(1);
  }
  console.log('all responses match the document');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
