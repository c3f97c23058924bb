// The registry pages: what each lists, which fields its form has, and how the form's values
// become the body of the /ext/v1 request (docs/api/registry.md, callback-profiles.md,
// inbound-numbers.md). Bodies carry what was typed; an empty field is left out, so the API's
// default applies. No rule of the API is repeated here.
import { call } from "./api.js";
import { el } from "./dom.js";
import { showRegistry } from "./registry.js";

// The non-empty values of `names`.
function present(values, names) {
  const body = {};
  for (const name of names) {
    if (values[name] !== "" && values[name] !== undefined) body[name] = values[name];
  }
  return body;
}

const mono = (text) => el("code", {}, text);
const when = (time) => (time ? String(time).replace(/\+00:00$/, " UTC") : "");

export const templates = {
  title: "Templates",
  noun: "template",
  empty: "No templates yet.",
  path: "templates",
  intro: "Registered message templates. A send that names a template_id must match its text.",
  idOf: (t) => t.template_id,
  itemPath: (t) => `templates/${encodeURIComponent(t.template_id)}`,
  columns: [
    ["Template ID", (t) => mono(t.template_id)],
    ["Name", (t) => t.name],
    ["Text", (t) => t.text],
    ["Type", (t) => t.type || "any"],
    ["Senders", (t) => (t.senders || []).join(", ")],
    ["Updated", (t) => when(t.updated_at)],
  ],
  fields: [
    { name: "template_id", label: "Template ID", edit: false, hint: "12 to 30 digits" },
    { name: "name", label: "Name" },
    { name: "text", label: "Text", kind: "textarea", hint: "Placeholders: {#name#}" },
    { name: "type", label: "Type", hint: "Empty for any type" },
    { name: "senders", label: "Sender IDs", hint: "Comma-separated; empty for any sender" },
  ],
  valuesOf: (t) => ({ name: t.name, text: t.text, type: t.type || "", senders: (t.senders || []).join(", ") }),
  createBody: (v) => present(v, ["template_id", "name", "text", "type", "senders"]),
  editMethod: "PATCH",
  // Every shown field is sent, so clearing one clears it ("" clears the type and the senders).
  editBody: (v) => ({ name: v.name, text: v.text, type: v.type, senders: v.senders }),
};

export const senders = {
  title: "Sender IDs",
  noun: "sender ID",
  empty: "No sender IDs yet.",
  path: "senders",
  intro: "Registered sender IDs, with their DLT entity where that applies.",
  idOf: (s) => s.sender,
  itemPath: (s) => `senders/${encodeURIComponent(s.sender)}`,
  columns: [
    ["Sender ID", (s) => mono(s.sender)],
    ["Description", (s) => s.description],
    ["Country", (s) => s.iso_code],
    ["Entity ID", (s) => s.entity_id],
    ["Updated", (s) => when(s.updated_at)],
  ],
  fields: [
    { name: "sender", label: "Sender ID", edit: false },
    { name: "description", label: "Description" },
    { name: "iso_code", label: "Country (ISO code)", hint: "Two letters, e.g. IN" },
    { name: "entity_id", label: "Entity ID", hint: "12 to 30 digits" },
  ],
  valuesOf: (s) => ({ description: s.description, iso_code: s.iso_code, entity_id: s.entity_id }),
  // Registration takes a list; this form registers one, whose errors are "data[0].<field>".
  createBody: (v) => ({ data: [present(v, ["sender", "description", "iso_code", "entity_id"])] }),
  fieldOf: (name) => name.replace(/^data\[0\]\./, ""),
  editMethod: "PATCH",
  editBody: (v) => ({ description: v.description, iso_code: v.iso_code, entity_id: v.entity_id }),
};

// The auth object of the form's values; a password or secret left empty when editing is sent
// masked, which the API reads as "keep the stored one".
function authOf(v, editing) {
  const keep = (value) => value || (editing ? "****" : "");
  if (v.auth_type === "basic") {
    return { type: "basic", username: v.username, password: keep(v.password) };
  }
  if (v.auth_type === "bearer") {
    return { type: "bearer", token_url: v.token_url, client_id: v.client_id, client_secret: keep(v.client_secret) };
  }
  return { type: "none" };
}

export const callbackProfiles = {
  title: "Callback profiles",
  noun: "callback profile",
  empty: "No callback profiles yet.",
  path: "callback-profiles",
  intro:
    "Where and how webhooks are sent. Headers and the retry policy are set through the API; " +
    "editing here keeps them. Secrets are never shown: leave a password empty to keep it. " +
    "Send test webhook sends one signed test request to the profile's URL now and shows its answer.",
  idOf: (p) => p.id,
  itemPath: (p) => `callback-profiles/${encodeURIComponent(p.id)}`,
  columns: [
    ["ID", (p) => mono(p.id)],
    ["Name", (p) => p.name],
    ["URL", (p) => p.url],
    ["Method", (p) => p.method],
    ["Auth", (p) => (p.auth && p.auth.type) || "none"],
    ["Default", (p) => (p.default ? "yes" : "")],
  ],
  fields: [
    { name: "name", label: "Name" },
    { name: "url", label: "URL", placeholder: "https://" },
    { name: "method", label: "Method", kind: "select", options: [["POST", "POST"], ["PUT", "PUT"], ["GET", "GET"]] },
    {
      name: "auth_type",
      label: "Authentication",
      kind: "select",
      options: [["none", "none"], ["basic", "basic (username, password)"], ["bearer", "bearer (token URL, client)"]],
    },
    { name: "username", label: "Username (basic)" },
    { name: "password", label: "Password (basic)", kind: "password" },
    { name: "token_url", label: "Token URL (bearer)" },
    { name: "client_id", label: "Client ID (bearer)" },
    { name: "client_secret", label: "Client secret (bearer)", kind: "password" },
    { name: "body_template", label: "Body template", kind: "textarea", hint: "Empty: the default JSON body" },
    { name: "default", label: "The account's default profile", kind: "checkbox" },
  ],
  valuesOf: (p) => ({
    name: p.name,
    url: p.url,
    method: p.method,
    auth_type: (p.auth && p.auth.type) || "none",
    username: (p.auth && p.auth.username) || "",
    token_url: (p.auth && p.auth.token_url) || "",
    client_id: (p.auth && p.auth.client_id) || "",
    body_template: p.body_template,
    default: p.default,
  }),
  fieldOf: (name) => (name === "auth" ? "auth_type" : name),
  // The API's test webhook (POST …/callback-profiles/{id}/test): what the receiver answered.
  rowActions: [
    {
      label: "Send test webhook",
      busy: (p) => `Sending a test webhook to ${p.url}…`,
      run: async (p) => {
        const r = await call("POST", `callback-profiles/${encodeURIComponent(p.id)}/test`);
        const how = `${r.method} ${r.url}, ${r.latency_ms} ms${r.signed ? ", signed" : ""}`;
        if (r.delivered) return [`Test webhook delivered: HTTP ${r.http_status} (${how}).`, true];
        const why = r.http_status ? `HTTP ${r.http_status}` : r.error;
        return [`Test webhook failed: ${why} (${how}).`, false];
      },
    },
  ],
  createBody: (v) => ({
    ...present(v, ["name", "url", "method", "body_template"]),
    auth: authOf(v, false),
    default: v.default,
  }),
  // PUT replaces the whole profile: start from the stored one (its masked headers and secrets
  // read as "unchanged") and put the form's fields over it.
  editMethod: "PUT",
  editBody: (v, p) => ({
    ...p,
    name: v.name,
    url: v.url,
    method: v.method,
    body_template: v.body_template,
    auth: authOf(v, true),
    default: v.default,
  }),
};

export const inboundNumbers = {
  title: "Inbound numbers",
  noun: "inbound number",
  empty: "No inbound numbers yet.",
  path: "inbound-numbers",
  intro: "Numbers and keywords whose inbound SMS come to this account. Entries cannot be changed: delete and add again.",
  idOf: (n) => (n.keyword ? `${n.number} ${n.keyword}` : n.number),
  itemPath: (n) => `inbound-numbers/${encodeURIComponent(n.id)}`,
  columns: [
    ["Number", (n) => mono(n.number)],
    ["Keyword", (n) => n.keyword],
    ["Expires", (n) => when(n.expires)],
    ["Forwarded to", (n) => (n.target === "smpp" ? "SMPP binds" : n.callback ? n.callback.url : n.callback_profile_id ? mono(n.callback_profile_id) : "default profile")],
  ],
  fields: [
    { name: "number", label: "Number", placeholder: "+14155550123", hint: "E.164 with +, or a short code" },
    { name: "keyword", label: "Keyword", hint: "Empty: every message to the number" },
    { name: "expires", label: "Expires", placeholder: "2027-01-01 00:00:00", hint: "UTC; empty: never" },
    { name: "callback", label: "Callback URL", hint: "Or a callback profile; neither: the default profile" },
    { name: "callback_profile_id", label: "Callback profile ID" },
    { name: "target", label: "Deliver to", kind: "select", options: [["webhook", "Webhook"], ["smpp", "SMPP binds"]],
      hint: "SMPP binds: the account's SMPP receivers, without a callback" },
  ],
  createBody: (v) => ({
    ...present(v, ["number", "keyword", "expires", "callback_profile_id", "target"]),
    ...(v.callback ? { callback: { url: v.callback } } : {}),
  }),
  editMethod: null,
};
