// Send a test SMS: the send API's main fields, with the encoding and the number of parts shown as
// the body is typed. Both come from the server (POST text-info runs src/text, with the account's
// smart encoding), never from a count in JavaScript; sending is the send API's own path
// (POST send), so its validation errors appear beside the fields.
import { call } from "./api.js";
import { el, show } from "./dom.js";
import { clearErrors, control, showErrors, valuesOf } from "./form.js";

const COUNT_AFTER_MS = 200;  // typing pauses this long before the server counts

const fields = [
  { name: "to", label: "To", placeholder: "+919876543210", hint: "E.164; several separated by commas" },
  { name: "sender", label: "Sender" },
  { name: "body", label: "Message", kind: "textarea" },
  {
    name: "unicode",
    label: "Encoding",
    kind: "select",
    options: [["AUTO", "automatic"], ["0", "GSM-7 only"], ["1", "UCS-2 (Unicode)"]],
  },
  { name: "type", label: "Type", hint: "Empty: the region's default" },
];

export function showSend() {
  const controls = fields.map((f) => control("send", f));
  const byName = Object.fromEntries(controls.map((c) => [c.f.name, c]));
  const counter = el("p", { id: "segments", class: "counter", "aria-live": "polite" }, "Empty: 1 part.");
  byName.body.error.before(counter);
  const alert = el("p", { class: "error", role: "alert" });
  const sent = el("div", { "aria-live": "polite" });
  const form = el(
    "form",
    { class: "entry", "aria-label": "Send a test SMS", novalidate: true },
    el("div", { class: "entry-fields" }, controls.map((c) => c.error.parentNode)),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "Send")),
    alert,
  );

  // Counts the body as it is now; an answer to an older body is dropped.
  let asked = 0;
  let timer = null;
  async function count() {
    const ticket = ++asked;
    const { body, unicode } = valuesOf(controls);
    try {
      const info = await call("POST", "text-info", { body: byName.body.input.value, unicode });
      if (ticket !== asked) return;
      clearErrors([byName.unicode, byName.body], alert);
      const parts = info.segments === 1 ? "1 part" : `${info.segments} parts`;
      const smart = info.smart_encoding ? " (after smart encoding)" : "";
      // Units decide the parts: an extension character (€, [, ~) takes two septets.
      const units = `${info.units} ${info.encoding === "GSM-7" ? "septets" : "UTF-16 units"}`;
      counter.textContent = `${info.encoding}${smart}: ${info.characters} characters, ${units}, ${parts}.`;
      counter.dataset.encoding = info.encoding;
      counter.dataset.segments = String(info.segments);
    } catch (e) {
      if (ticket !== asked) return;
      counter.textContent = body ? "Cannot be sent as typed." : "";
      delete counter.dataset.encoding;
      clearErrors([byName.unicode, byName.body], alert);
      showErrors([byName.unicode, byName.body], e, alert, undefined, false);
    }
  }
  const later = () => {
    clearTimeout(timer);
    timer = setTimeout(count, COUNT_AFTER_MS);
  };
  byName.body.input.addEventListener("input", later);
  byName.unicode.input.addEventListener("change", later);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(controls, alert);
    const v = valuesOf(controls);
    const request = { to: v.to, sender: v.sender, body: byName.body.input.value, unicode: v.unicode };
    if (v.type) request.type = v.type;
    try {
      const answer = await call("POST", "send", request);
      sent.replaceChildren(
        el("p", { role: "status" }, `Accepted ${answer.data.length} message(s): `),
        el(
          "ul",
          {},
          answer.data.map((m) =>
            el("li", {}, el("a", { href: `#/messages/${encodeURIComponent(m.message_id)}` }, m.message_id), ` to ${m.recipient}`),
          ),
        ),
      );
    } catch (e) {
      showErrors(controls, e, alert);
    }
  });

  show(
    el("h1", {}, "Send a test SMS"),
    el("p", { class: "intro" }, "Sent like POST /v1/{sid}/messages: it is queued, delivered and billed as any other."),
    form,
    sent,
  );
  count();
  byName.to.input.focus();
}
