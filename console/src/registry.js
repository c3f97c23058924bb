// One page per registry (templates, sender IDs, callback profiles, inbound numbers): the list,
// a form to add an entry, and per row Edit (where the API allows a change) and Delete. The page
// checks nothing itself: it sends what was typed to /console/api/…, which is the /ext/v1
// endpoint's own validation, and shows each reason the API gives beside the field it names.
import { call } from "./api.js";
import { el, show, table } from "./dom.js";
import { clearErrors, control, showErrors, valuesOf } from "./form.js";

// A form that adds (row undefined) or changes (row given) an entry; `done` after success.
function entryForm(spec, row, done) {
  const editing = row !== undefined;
  const formId = editing ? `${spec.path}-edit` : `${spec.path}-new`;
  const fields = spec.fields.filter((f) => (editing ? f.edit !== false : f.create !== false));
  const initial = editing ? spec.valuesOf(row) : {};
  const controls = fields.map((f) => control(formId, f, initial[f.name]));
  const alert = el("p", { class: "error", role: "alert" });
  const title = editing ? `Edit ${spec.idOf(row)}` : `Add ${spec.noun}`;
  const form = el(
    "form",
    { class: "entry", "aria-label": title, novalidate: true },
    el("h2", {}, title),
    el("div", { class: "entry-fields" }, controls.map((c) => c.error.parentNode)),
    el(
      "div",
      { class: "actions" },
      el("button", { type: "submit" }, editing ? "Save" : `Add ${spec.noun}`),
      editing ? el("button", { type: "button", onclick: () => done(false) }, "Cancel") : null,
    ),
    alert,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(controls, alert);
    const values = valuesOf(controls);
    try {
      if (editing) {
        await call(spec.editMethod, spec.itemPath(row), spec.editBody(values, row));
      } else {
        await call("POST", spec.path, spec.createBody(values));
      }
      done(true);
    } catch (e) {
      showErrors(controls, e, alert, spec.fieldOf);
    }
  });
  return { form, focus: () => controls[0].input.focus() };
}

// Shows the registry page of `spec` (see pages.js).
export async function showRegistry(spec) {
  const alert = el("p", { class: "error", role: "alert" });
  // What a row's own action (spec.rowActions: a callback profile's test webhook) reported.
  const outcome = el("p", { id: `${spec.path}-outcome`, class: "outcome", role: "status" });
  const report = (text, ok) => {
    outcome.textContent = text;
    outcome.className = `outcome ${ok ? "outcome-ok" : "outcome-failed"}`;
  };
  const list = el("div", { "aria-live": "polite" });
  const editor = el("div");
  const adder = el("div");
  // A fresh add form, at first and after each entry added (what was typed is then saved).
  const newAdder = () => adder.replaceChildren(entryForm(spec, undefined, (ok) => ok && added()).form);

  async function reload() {
    try {
      const data = await call("GET", spec.path);
      alert.textContent = "";
      const rows = data.data || [];
      const actions = (row) =>
        el(
          "span",
          { class: "row-actions" },
          (spec.rowActions || []).map((action) =>
            el(
              "button",
              {
                type: "button",
                "aria-label": `${action.label} ${spec.idOf(row)}`,
                onclick: async (event) => {
                  const button = event.currentTarget;
                  button.disabled = true;
                  report(action.busy(row), true);
                  try {
                    const [text, ok] = await action.run(row);
                    report(text, ok);
                  } catch (e) {
                    report(e.message, false);
                  } finally {
                    button.disabled = false;
                  }
                },
              },
              action.label,
            ),
          ),
          spec.editMethod
            ? el("button", { type: "button", "aria-label": `Edit ${spec.idOf(row)}`, onclick: () => edit(row) }, "Edit")
            : null,
          el("button", { type: "button", class: "danger", "aria-label": `Delete ${spec.idOf(row)}`, onclick: () => remove(row) }, "Delete"),
        );
      list.replaceChildren(
        table(`${spec.title}: ${rows.length}`, [...spec.columns, ["Actions", actions]], rows, spec.empty),
      );
    } catch (e) {
      alert.textContent = e.message;
    }
  }

  async function added() {
    newAdder();
    await reload();
  }

  function edit(row) {
    const form = entryForm(spec, row, async (ok) => {
      editor.replaceChildren();
      if (ok) await reload();
    });
    editor.replaceChildren(form.form);
    form.focus();
  }

  async function remove(row) {
    if (!window.confirm(`Delete ${spec.noun} ${spec.idOf(row)}?`)) return;
    alert.textContent = "";
    try {
      await call("DELETE", spec.itemPath(row));
      await reload();
    } catch (e) {
      alert.textContent = e.message;
    }
  }

  newAdder();
  show(el("h1", {}, spec.title), el("p", { class: "intro" }, spec.intro), alert, outcome, list, editor, adder);
  await reload();
}
