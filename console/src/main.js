// The console's entry point (bundled by esbuild into app.js): asks the server whether this
// browser is signed in, then routes by the URL's fragment (#/messages, #/messages/{id},
// #/delivery, #/templates, #/senders, #/callback-profiles, #/inbound-numbers, #/keys, #/send).
import { call, setCsrf } from "./api.js";
import { showDelivery } from "./delivery.js";
import { showKeys } from "./keys.js";
import { showMessage } from "./message.js";
import { showMessages, stopLiveRefresh } from "./messages.js";
import { callbackProfiles, inboundNumbers, senders, templates } from "./pages.js";
import { showRegistry } from "./registry.js";
import { showSend } from "./send.js";
import { showSignIn } from "./signin.js";

let signedIn = false;

const registries = {
  "#/templates": templates,
  "#/senders": senders,
  "#/callback-profiles": callbackProfiles,
  "#/inbound-numbers": inboundNumbers,
};

// The page's link in the top bar says it is the current one.
function markCurrent(hash) {
  for (const link of document.querySelectorAll("#pages a")) {
    const current = hash === link.getAttribute("href") || hash.startsWith(`${link.getAttribute("href")}/`);
    if (current) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
}

function route() {
  stopLiveRefresh();
  if (!signedIn) return;
  const hash = location.hash || "#/messages";
  markCurrent(hash);
  const one = hash.match(/^#\/messages\/(.+)$/);
  if (registries[hash]) {
    showRegistry(registries[hash]);
  } else if (hash === "#/delivery") {
    showDelivery();
  } else if (hash === "#/keys") {
    showKeys();
  } else if (hash === "#/send") {
    showSend();
  } else if (one) {
    showMessage(decodeURIComponent(one[1]));
  } else {
    showMessages();
  }
}

function signedInAs(session) {
  signedIn = true;
  document.getElementById("account-sid").textContent = session.sid;
  document.getElementById("account").hidden = false;
  document.getElementById("pages").hidden = false;
  route();
}

// Asks for the session (or, signed out, the token that signing in must carry).
async function start() {
  const session = await call("GET", "session");
  setCsrf(session.csrf);
  if (session.signed_in) {
    signedInAs(session);
  } else {
    signedIn = false;
    document.getElementById("account").hidden = true;
    document.getElementById("pages").hidden = true;
    showSignIn(signedInAs);
  }
}

document.getElementById("sign-out").addEventListener("click", async () => {
  stopLiveRefresh();
  try {
    await call("DELETE", "session");
  } finally {
    await start();
  }
});
window.addEventListener("hashchange", route);
window.addEventListener("console-signed-out", start);
start();
