// The sign-in page: account SID and an API key (checked by the server with the API's own
// authenticator) or the account's console password (set with `smsgw console-password set`).
import { call, setCsrf } from "./api.js";
import { el, field, show } from "./dom.js";

export function showSignIn(onSignedIn) {
  const sid = el("input", { id: "sid", name: "sid", required: true, autocomplete: "username", spellcheck: "false" });
  const key = el("input", { id: "api-key", name: "api_key", type: "password", required: true, autocomplete: "current-password" });
  const secretLabel = el("label", { for: "api-key" }, "API key");
  const how = el(
    "select",
    { id: "sign-in-with" },
    el("option", { value: "api_key" }, "an API key"),
    el("option", { value: "password" }, "the console password"),
  );
  how.addEventListener("change", () => {
    secretLabel.textContent = how.value === "password" ? "Password" : "API key";
    key.value = "";
  });
  const error = el("p", { id: "sign-in-error", class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "card sign-in", "aria-labelledby": "sign-in-title" },
    el("h1", { id: "sign-in-title" }, "Sign in"),
    el("p", {}, "Use your account SID and one of its API keys, or its console password."),
    field("Account SID", sid),
    field("Sign in with", how),
    el("div", { class: "field" }, secretLabel, key),
    el("button", { type: "submit" }, "Sign in"),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    const body = { sid: sid.value.trim() };
    // A password is sent as typed; a key without the spaces a copy may bring.
    if (how.value === "password") body.password = key.value;
    else body.api_key = key.value.trim();
    try {
      const session = await call("POST", "session", body);
      setCsrf(session.csrf);
      onSignedIn(session);
    } catch (e) {
      error.textContent = e.message;
      key.focus();
    }
  });
  show(form);
  sid.focus();
}
