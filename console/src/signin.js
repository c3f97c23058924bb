// The sign-in page: account SID and an API key, checked by the server with the API's own
// authenticator.
import { call, setCsrf } from "./api.js";
import { el, field, show } from "./dom.js";

export function showSignIn(onSignedIn) {
  const sid = el("input", { id: "sid", name: "sid", required: true, autocomplete: "username", spellcheck: "false" });
  const key = el("input", { id: "api-key", name: "api_key", type: "password", required: true, autocomplete: "current-password" });
  const error = el("p", { id: "sign-in-error", class: "error", role: "alert" });
  const form = el(
    "form",
    { class: "card sign-in", "aria-labelledby": "sign-in-title" },
    el("h1", { id: "sign-in-title" }, "Sign in"),
    el("p", {}, "Use your account SID and one of its API keys."),
    field("Account SID", sid),
    field("API key", key),
    el("button", { type: "submit" }, "Sign in"),
    error,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.textContent = "";
    try {
      const session = await call("POST", "session", { sid: sid.value.trim(), api_key: key.value.trim() });
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
