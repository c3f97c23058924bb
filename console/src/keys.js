// The API keys page: the account's active keys by their fingerprint (the start of the SHA-256 the
// server keeps; a key itself is never shown again), a button that creates one and shows it once,
// and Revoke. Revoking the key this session signed in with ends the session: the server answers
// 401 from then on and the page goes back to sign-in.
import { call } from "./api.js";
import { el, show, table } from "./dom.js";

const fingerprint = (id) => id.slice(0, 12);

export async function showKeys() {
  const alert = el("p", { class: "error", role: "alert" });
  const created = el("div", { "aria-live": "polite" });
  const list = el("div");

  async function reload() {
    try {
      const data = await call("GET", "keys");
      list.replaceChildren(
        table(
          `Active keys: ${data.data.length}`,
          [
            ["Fingerprint", (k) => el("code", {}, fingerprint(k.id))],
            ["Created", (k) => k.created_at],
            ["Session", (k) => (k.current ? "this session's key" : "")],
            [
              "Actions",
              (k) =>
                el(
                  "button",
                  { type: "button", class: "danger", "aria-label": `Revoke ${fingerprint(k.id)}`, onclick: () => revoke(k) },
                  "Revoke",
                ),
            ],
          ],
          data.data,
          "No active keys: the API refuses every request of this account.",
        ),
      );
    } catch (e) {
      alert.textContent = e.message;
    }
  }

  async function revoke(key) {
    const warning = key.current ? " This session signed in with it and ends now." : "";
    if (!window.confirm(`Revoke key ${fingerprint(key.id)}? Clients using it stop working at once.${warning}`)) return;
    alert.textContent = "";
    try {
      await call("DELETE", `keys/${key.id}`);
      created.replaceChildren();
      await reload();
    } catch (e) {
      alert.textContent = e.message;
    }
  }

  const create = el("button", { type: "button" }, "Create a key");
  create.addEventListener("click", async () => {
    alert.textContent = "";
    try {
      const key = await call("POST", "keys");
      const value = el("input", { id: "new-key", readonly: true, value: key.api_key, size: 40, spellcheck: "false" });
      created.replaceChildren(
        el(
          "div",
          { class: "new-key", role: "status" },
          el("label", { for: "new-key" }, `New key ${fingerprint(key.id)}: copy it now, it is not shown again`),
          value,
        ),
      );
      value.focus();
      value.select();
      await reload();
    } catch (e) {
      alert.textContent = e.message;
    }
  });

  show(
    el("h1", {}, "API keys"),
    el("p", { class: "intro" }, "Keys authenticate this account's API requests (the api-key header) and console sign-in."),
    alert,
    el("div", { class: "actions" }, create),
    created,
    list,
  );
  await reload();
}
