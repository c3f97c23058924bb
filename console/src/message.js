// One message: what was sent, its parts (each with its receipt), its status history and the
// webhooks about it with every attempt. A message of another account is 404, as on /ext/v1.
import { call } from "./api.js";
import { el, show, statusBadge, table } from "./dom.js";

export async function showMessage(id) {
  show(el("h1", {}, "Message"), el("p", {}, "Loading…"));
  let m;
  try {
    m = await call("GET", `messages/${encodeURIComponent(id)}`);
  } catch (e) {
    show(
      el("h1", {}, "Message"),
      el("p", { class: "error", role: "alert" }, e.status === 404 ? "Message not found." : e.message),
      el("p", {}, el("a", { href: "#/messages" }, "Back to the messages")),
    );
    return;
  }
  const error = el("p", { class: "error", role: "alert" });
  const cancellable = m.state === "queued" || m.state === "scheduled";
  const cancel = cancellable
    ? el("button", {
        type: "button",
        id: "cancel",
        onclick: async () => {
          try {
            await call("POST", `messages/${encodeURIComponent(id)}/cancel`);
            showMessage(id);
          } catch (e) {
            error.textContent = e.message;
          }
        },
      }, "Cancel this message")
    : null;
  const facts = [
    ["Message id", m.message_id],
    ["Status", statusBadge(m.status)],
    ["Details", m.status_details],
    ["Recipient", m.recipient],
    ["Sender", m.sender],
    ["Type", m.type],
    ["Body", m.body],
    ["Encoding", `${m.encoding}, ${m.segments} segment${m.segments === 1 ? "" : "s"}`],
    ["Ref", m.ref],
    ["Campaign", m.campaign_name],
    ["Created", m.createdDateTime],
    ["Scheduled for", m.time],
    ["Updated", m.updated_at],
    ["Attempts", m.attempts],
    ["Last error", m.last_error],
  ];
  show(
    el("p", {}, el("a", { href: "#/messages" }, "← Messages")),
    el("h1", {}, "Message ", el("code", {}, m.message_id)),
    el("dl", { class: "facts" }, facts.filter(([, v]) => v !== "" && v !== null && v !== undefined)
      .map(([k, v]) => [el("dt", {}, k), el("dd", {}, v)])),
    cancel,
    error,
    el("h2", {}, "Parts and receipts"),
    table(
      "Parts, with each part's receipt",
      [
        ["Part", (p) => p.part],
        ["Connector", (p) => p.connector],
        ["SMSC id", (p) => p.smsc_id],
        ["State", (p) => p.state],
        ["Receipt stat", (p) => p.stat],
        ["Receipt err", (p) => p.err],
        ["Submitted", (p) => p.submitted_at],
        ["Receipt at", (p) => p.done_at],
      ],
      m.parts || [],
      "Not submitted yet.",
    ),
    el("h2", {}, "Status history"),
    table(
      "Status changes, oldest first",
      [
        ["At", (h) => h.at],
        ["Status", (h) => statusBadge(h.status)],
        ["Details", (h) => h.status_details],
        ["Event id", (h) => h.event_id],
      ],
      m.history || [],
      "No status change since it was accepted.",
    ),
    el("h2", {}, "Webhooks"),
    table(
      "Webhooks about this message",
      [
        ["Event id", (w) => w.event_id],
        ["State", (w) => w.state],
        ["Attempts", (w) => w.attempts],
        ["Last error", (w) => w.last_error],
        ["Attempt log", (w) => el("ol", { class: "attempts" }, (w.attempt_log || []).map((a) =>
          el("li", {}, `${a.at}: ${a.http_status || "no answer"} ${a.error} (${a.latency_ms} ms)`)))],
        [
          "Actions",
          (w) =>
            el(
              "button",
              {
                type: "button",
                "aria-label": `Replay webhook ${w.event_id}`,
                onclick: async () => {
                  try {
                    await call("POST", `webhooks/${encodeURIComponent(w.event_id)}/replay`);
                    showMessage(id);
                  } catch (e) {
                    error.textContent = e.message;
                  }
                },
              },
              "Replay",
            ),
        ],
      ],
      m.webhooks || [],
      "No webhooks: the message has no callback.",
    ),
  );
}
