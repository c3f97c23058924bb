// Building DOM nodes from data: text always goes in as text (textContent), never as HTML, so a
// message body or a sender ID cannot inject markup.

// el("a", {href: "#/x", class: "c"}, "text", otherNode): attributes; "on*" keys add listeners.
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

// A labelled form field: <div class="field"><label for=id>label</label><input id=id ...></div>.
export function field(label, input) {
  return el("div", { class: "field" }, el("label", { for: input.id }, label), input);
}

// A table of `rows` with one column per [heading, row => cell] pair; `empty` when there are none.
export function table(caption, columns, rows, empty) {
  if (rows.length === 0) {
    return el("p", { class: "empty" }, empty);
  }
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      {},
      el("caption", {}, caption),
      el("thead", {}, el("tr", {}, columns.map(([heading]) => el("th", { scope: "col" }, heading)))),
      el(
        "tbody",
        {},
        rows.map((row) => el("tr", {}, columns.map(([, cell]) => el("td", {}, cell(row) ?? "")))),
      ),
    ),
  );
}

// Replaces the page's main content and moves focus there, so keyboard and screen-reader users
// start at the new page.
export function show(...children) {
  const main = document.getElementById("main");
  main.replaceChildren(...children.filter((child) => child !== null && child !== undefined));
  main.focus();
}

// A status word with a class per outcome, for colour that repeats the text (never replaces it).
export function statusBadge(status) {
  return el("span", { class: `status status-${String(status).toLowerCase()}` }, status);
}
