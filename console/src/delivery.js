// The Delivery page: the account's traffic over the last hour, day or week from the server's
// per-minute rollups (GET /console/api/delivery, docs/console.md): messages accepted, delivered,
// undelivered and not sent per minute or hour, the delivery ratio, and receipt-delay percentiles,
// drawn with uPlot (bundled from npm); the same totals per connector and per type; and the node's
// live queue and connectors' binds. The page computes nothing itself: every figure is the server's.
import uPlot from "uplot";
import { call } from "./api.js";
import { el, show, table } from "./dom.js";

const charts = [];

// Charts are drawn on canvases sized in pixels: they follow the page's width.
function resizeCharts() {
  for (const { chart, box } of charts) chart.setSize({ width: box.clientWidth, height: 220 });
}
window.addEventListener("resize", resizeCharts);

function destroyCharts() {
  for (const { chart } of charts.splice(0)) chart.destroy();
}

const percent = (r) => (r === null || r === undefined ? "–" : `${(r * 100).toFixed(1)} %`);
const secs = (s) => (s === null || s === undefined ? "–" : s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`);

function chart(box, title, t, series, valueFormat, yRange) {
  const data = [t, ...series.map((s) => s.values)];
  const opts = {
    title,
    width: Math.max(box.clientWidth, 280),
    height: 220,
    scales: { x: { time: true }, y: yRange ? { range: yRange } : {} },
    series: [
      {},
      ...series.map((s) => ({
        label: s.label,
        stroke: s.color,
        width: 2,
        spanGaps: false,
        value: (u, v) => (v === null || v === undefined ? "–" : valueFormat(v)),
      })),
    ],
    axes: [{}, { values: (u, vals) => vals.map((v) => valueFormat(v)) }],
  };
  const c = new uPlot(opts, data, box);
  charts.push({ chart: c, box });
  // How many points carry a value: what the browser test reads, and a text for screen readers.
  const points = series.reduce((n, s) => n + s.values.filter((v) => v !== null && v !== 0).length, 0);
  box.dataset.points = String(points);
  return c;
}

function totalsRow(label, t) {
  return { label, ...t };
}

const totalsColumns = (first) => [
  [first, (r) => r.label],
  ["Accepted", (r) => r.accepted],
  ["Delivered", (r) => r.delivered],
  ["Undelivered", (r) => r.undelivered],
  ["Not sent", (r) => r.not_sent],
  ["Delivery ratio", (r) => percent(r.ratio)],
  ["Receipt p50", (r) => secs(r.p50)],
  ["p90", (r) => secs(r.p90)],
  ["p99", (r) => secs(r.p99)],
];

// `filter`: the connector and route type whose series and totals to show ("": all).
export async function showDelivery(range = "hour", step = "", filter = { connector: "", type: "" }) {
  destroyCharts();
  const alert = el("p", { class: "error", role: "alert" });
  const rangeButtons = ["hour", "day", "week"].map((r) =>
    el(
      "button",
      { type: "button", "aria-pressed": String(r === range), onclick: () => showDelivery(r, "", filter) },
      `Last ${r}`,
    ),
  );
  const stepSelect = el(
    "select",
    { id: "delivery-step", onchange: (e) => showDelivery(range, e.target.value, filter) },
    el("option", { value: "minute", disabled: range === "week" }, "per minute"),
    el("option", { value: "hour" }, "per hour"),
  );
  // The choices are the connectors and types the range has (the tables below), filled in after
  // the answer; "all" until then.
  const connectorSelect = el(
    "select",
    { id: "delivery-connector", onchange: (e) => showDelivery(range, step, { ...filter, connector: e.target.value }) },
    el("option", { value: "" }, "all"),
  );
  const typeSelect = el(
    "select",
    { id: "delivery-type", onchange: (e) => showDelivery(range, step, { ...filter, type: e.target.value }) },
    el("option", { value: "" }, "all"),
  );
  const body = el("div", { "aria-live": "polite" });
  show(
    el("h1", {}, "Delivery"),
    el(
      "p",
      { class: "intro" },
      "Your account's messages as they were accepted and settled, from per-minute rollups kept 8 days. " +
        "The delivery ratio is delivered / (delivered + undelivered); receipt delays are from submit to the final receipt.",
    ),
    el(
      "div",
      { class: "toolbar", role: "group", "aria-label": "Time range" },
      rangeButtons,
      el("label", { for: "delivery-step" }, "Step"),
      stepSelect,
      el("label", { for: "delivery-connector" }, "Connector"),
      connectorSelect,
      el("label", { for: "delivery-type" }, "Type"),
      typeSelect,
      el("button", { type: "button", onclick: () => showDelivery(range, step, filter) }, "Refresh"),
    ),
    alert,
    body,
  );
  let data;
  try {
    const only =
      (filter.connector ? `&connector=${encodeURIComponent(filter.connector)}` : "") +
      (filter.type ? `&type=${encodeURIComponent(filter.type)}` : "");
    data = await call("GET", `delivery?range=${range}${step ? `&step=${step}` : ""}${only}`);
  } catch (error) {
    alert.textContent = error.message;
    return;
  }
  stepSelect.value = data.step;
  const choices = (select, names, chosen) => {
    const all = [...new Set([...names.filter(Boolean), ...(chosen ? [chosen] : [])])].sort();
    select.append(...all.map((name) => el("option", { value: name }, name)));
    select.value = chosen;
  };
  choices(connectorSelect, data.by_connector.map((c) => c.connector), filter.connector);
  choices(typeSelect, data.by_type.map((t) => t.type), filter.type);
  const s = data.series;
  const tot = data.totals;
  const summary = el(
    "dl",
    { class: "summary" },
    el("dt", {}, "Accepted"),
    el("dd", { id: "total-accepted" }, tot.accepted),
    el("dt", {}, "Delivered"),
    el("dd", { id: "total-delivered" }, tot.delivered),
    el("dt", {}, "Undelivered"),
    el("dd", {}, tot.undelivered),
    el("dt", {}, "Not sent"),
    el("dd", {}, tot.not_sent),
    el("dt", {}, "Delivery ratio"),
    el("dd", {}, percent(tot.ratio)),
    el("dt", {}, "Receipt delay p50 / p90 / p99"),
    el("dd", {}, `${secs(tot.p50)} / ${secs(tot.p90)} / ${secs(tot.p99)}`),
  );
  const per = data.step === "hour" ? "hour" : "minute";
  const countsBox = el("div", { class: "chart", id: "chart-counts", role: "img", "aria-label": `Messages per ${per}` });
  const ratioBox = el("div", { class: "chart", id: "chart-ratio", role: "img", "aria-label": `Delivery ratio per ${per}` });
  const delayBox = el("div", { class: "chart", id: "chart-delay", role: "img", "aria-label": `Receipt delay per ${per}` });
  const live = [];
  if (data.queue) {
    live.push(
      el("h2", {}, "Gateway now"),
      el(
        "p",
        { class: "hint" },
        "The gateway's queue and connectors, shared by every account.",
      ),
      el(
        "dl",
        { class: "summary" },
        el("dt", {}, "Queue: due now"),
        el("dd", { id: "queue-due" }, data.queue.due),
        el("dt", {}, "Queue: later"),
        el("dd", {}, data.queue.later),
        el("dt", {}, "Oldest due"),
        el("dd", {}, data.queue.oldest_age_seconds === null ? "–" : `${secs(data.queue.oldest_age_seconds)} ago`),
      ),
      table(
        "Connectors",
        [
          ["Connector", (c) => el("code", {}, c.name)],
          [
            "Bind state",
            (c) =>
              el(
                "span",
                { class: `status status-${c.binds_up > 0 ? "delivered" : "undelivered"}` },
                c.binds_up > 0 ? `bound (${c.binds_up})` : "not bound",
              ),
          ],
          ["Sessions", (c) => c.sessions],
        ],
        data.connectors || [],
        "No connectors configured.",
      ),
    );
  }
  const of = [data.connector && `connector ${data.connector}`, data.type && `type ${data.type}`].filter(Boolean);
  const scope = of.length > 0
    ? [el("p", { class: "hint", id: "delivery-of" }, `The charts and totals of ${of.join(" and ")} only; the tables below are of all.`)]
    : [];
  body.replaceChildren(
    ...scope,
    summary,
    el("h2", {}, `Messages per ${per}`),
    countsBox,
    el("h2", {}, "Delivery ratio"),
    ratioBox,
    el("h2", {}, "Receipt delay"),
    delayBox,
    el("h2", {}, "By connector"),
    table("By connector", totalsColumns("Connector"), data.by_connector.map((c) => totalsRow(c.connector || "(none)", c)), "Nothing in this range."),
    el("h2", {}, "By type"),
    table("By type", totalsColumns("Type"), data.by_type.map((c) => totalsRow(c.type, c)), "Nothing in this range."),
    ...live,
  );
  const count = (v) => String(Math.round(v));
  chart(
    countsBox,
    `Messages per ${per}`,
    s.t,
    [
      { label: "Accepted", color: "#0b5cad", values: s.accepted },
      { label: "Delivered", color: "#1a7f37", values: s.delivered },
      { label: "Undelivered", color: "#a4161a", values: s.undelivered },
      { label: "Not sent", color: "#8a6100", values: s.not_sent },
    ],
    count,
  );
  chart(ratioBox, "Delivery ratio", s.t, [{ label: "Ratio", color: "#1a7f37", values: s.ratio.map((r) => (r === null ? null : r * 100)) }], (v) => `${Math.round(v)} %`, [0, 100]);
  chart(
    delayBox,
    "Receipt delay (s)",
    s.t,
    [
      { label: "p50", color: "#0b5cad", values: s.p50 },
      { label: "p90", color: "#8a6100", values: s.p90 },
      { label: "p99", color: "#a4161a", values: s.p99 },
    ],
    (v) => secs(v),
  );
}
