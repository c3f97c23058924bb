// Forms whose fields show the API's validation errors: a labelled control per field with a
// place for its error under it (tied by aria-describedby), and the placing of an ApiError's
// {field: reason} beside the fields they name.
import { el, field } from "./dom.js";

// A field of a spec: {name, label, kind: "text"|"textarea"|"select"|"checkbox"|"password",
// options (select), hint, create: false (shown only when editing) / edit: false (only when
// adding)}.
export function control(formId, f, value) {
  const id = `${formId}-${f.name}`;
  const described = `${id}-error`;
  const common = { id, name: f.name, "aria-describedby": described };
  let input;
  if (f.kind === "textarea") {
    input = el("textarea", { ...common, rows: 3 });
    input.value = value ?? "";
  } else if (f.kind === "select") {
    input = el("select", common, f.options.map(([v, text]) => el("option", { value: v }, text)));
    input.value = value ?? f.options[0][0];
  } else if (f.kind === "checkbox") {
    input = el("input", { ...common, type: "checkbox" });
    input.checked = Boolean(value);
  } else {
    input = el("input", {
      ...common,
      type: f.kind === "password" ? "password" : "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: f.placeholder,
    });
    input.value = value ?? "";
  }
  const error = el("p", { id: described, class: "field-error" });
  const wrapped = field(f.label, input);
  if (f.hint) wrapped.append(el("p", { class: "hint" }, f.hint));
  wrapped.append(error);
  return { f, input, error };
}

// The form's values by field name: strings trimmed, checkboxes as booleans.
export function valuesOf(controls) {
  const values = {};
  for (const { f, input } of controls) {
    values[f.name] = f.kind === "checkbox" ? input.checked : input.value.trim();
  }
  return values;
}

export function clearErrors(controls, alert) {
  alert.textContent = "";
  for (const c of controls) {
    c.error.textContent = "";
    c.input.removeAttribute("aria-invalid");
  }
}

// Each reason of `e` (an ApiError) under the field it names (`fieldOf` maps the API's name to the
// form's); what names no field of the form, and a failure without fields, in `alert`. Focus moves
// to the first marked field unless `moveFocus` is false (the user is typing elsewhere).
export function showErrors(controls, e, alert, fieldOf = (name) => name, moveFocus = true) {
  const unplaced = [];
  for (const [name, reason] of Object.entries(e.fields || {})) {
    const c = controls.find((x) => x.f.name === fieldOf(name));
    if (c) {
      c.error.textContent = reason;
      c.input.setAttribute("aria-invalid", "true");
    } else {
      unplaced.push(`${name}: ${reason}`);
    }
  }
  const named = Object.keys(e.fields || {}).length > 0;
  alert.textContent =
    unplaced.length > 0 ? unplaced.join("; ") : named ? "See the fields marked above." : e.message;
  const first = controls.find((c) => c.input.hasAttribute("aria-invalid"));
  if (first && moveFocus) first.input.focus();
}
