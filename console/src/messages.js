// The message log: /ext/v1's filters, newest first, cursor paging, a refresh button and an
// optional live refresh.
import { call } from "./api.js";
import { el, field, show, statusBadge, table } from "./dom.js";

const PAGE_SIZE = 50;
const LIVE_EVERY_MS = 5000;
let liveTimer = null;

export function stopLiveRefresh() {
  clearInterval(liveTimer);
  liveTimer = null;
}

function input(id, label, attrs = {}) {
  return field(label, el("input", { id, name: id, ...attrs }));
}

// datetime-local values are the browser's local time; the server wants whole seconds with an
// offset (YYYY-MM-DDTHH:MM:SSZ).
function isoOrEmpty(value) {
  return value ? new Date(value).toISOString().replace(/\.\d+Z$/, "Z") : "";
}

export function showMessages() {
  stopLiveRefresh();
  const statuses = ["", "Pending", "Sent", "Delivered", "UnDelivered", "NotSent", "scheduled"];
  const form = el(
    "form",
    { class: "filters", "aria-label": "Filters" },
    field(
      "Status",
      el("select", { id: "f-status", name: "status" }, statuses.map((s) => el("option", { value: s }, s || "any"))),
    ),
    input("f-recipient", "Recipient", { inputmode: "tel", placeholder: "+919876543210" }),
    input("f-sender", "Sender"),
    input("f-type", "Type", { placeholder: "OTP, TXN, MKT" }),
    input("f-ref", "Ref"),
    input("f-campaign", "Campaign"),
    input("f-from", "From", { type: "datetime-local" }),
    input("f-to", "To", { type: "datetime-local" }),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "submit" }, "Apply filters"),
      el("button", { type: "button", id: "refresh" }, "Refresh"),
      el("label", { class: "check" }, el("input", { type: "checkbox", id: "live" }), " Live refresh"),
    ),
  );
  const error = el("p", { class: "error", role: "alert" });
  const results = el("div", { id: "results", "aria-live": "polite" });
  const pager = el("div", { class: "pager" });
  let cursor = "";

  const query = () => {
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    const value = (id) => form.querySelector(`#${id}`).value.trim();
    const add = (name, v) => v && params.set(name, v);
    add("status", value("f-status"));
    add("recipient", value("f-recipient"));
    add("sender", value("f-sender"));
    add("type", value("f-type"));
    add("ref", value("f-ref"));
    add("campaign_name", value("f-campaign"));
    add("from", isoOrEmpty(value("f-from")));
    add("to", isoOrEmpty(value("f-to")));
    add("cursor", cursor);
    return params.toString();
  };

  const load = async () => {
    error.textContent = "";
    try {
      const page = await call("GET", `messages?${query()}`);
      results.replaceChildren(renderRows(page.data));
      const buttons = [];
      if (cursor) {
        buttons.push(el("button", { type: "button", onclick: () => { cursor = ""; load(); } }, "Newest"));
      }
      if (page.next_cursor) {
        buttons.push(el("button", { type: "button", onclick: () => { cursor = page.next_cursor; load(); } }, "Older"));
      }
      pager.replaceChildren(...buttons);
    } catch (e) {
      // No stale rows under an error: they would look like the answer to the new filters.
      results.replaceChildren();
      pager.replaceChildren();
      error.textContent = e.message;
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    cursor = "";
    load();
  });
  form.querySelector("#refresh").addEventListener("click", load);
  form.querySelector("#live").addEventListener("change", (event) => {
    stopLiveRefresh();
    if (event.target.checked) liveTimer = setInterval(load, LIVE_EVERY_MS);
  });

  show(el("h1", {}, "Messages"), form, error, results, pager);
  load();
}

function renderRows(messages) {
  return table(
    "Messages, newest first",
    [
      ["Created", (m) => m.createdDateTime],
      ["Message", (m) => el("a", { href: `#/messages/${encodeURIComponent(m.message_id)}` }, m.message_id)],
      ["Recipient", (m) => m.recipient],
      ["Sender", (m) => m.sender],
      ["Type", (m) => m.type],
      ["Status", (m) => statusBadge(m.status)],
      ["Details", (m) => m.status_details],
    ],
    messages,
    "No messages match.",
  );
}
