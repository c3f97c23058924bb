// The console's entry point (bundled by esbuild into app.js): asks the server whether this
// browser is signed in, then routes by the URL's fragment (#/messages, #/messages/{id}).
import { call, setCsrf } from "./api.js";
import { showMessage } from "./message.js";
import { showMessages, stopLiveRefresh } from "./messages.js";
import { showSignIn } from "./signin.js";

let signedIn = false;

function route() {
  stopLiveRefresh();
  if (!signedIn) return;
  const hash = location.hash || "#/messages";
  const one = hash.match(/^#\/messages\/(.+)$/);
  if (one) {
    showMessage(decodeURIComponent(one[1]));
  } else {
    showMessages();
  }
}

function signedInAs(session) {
  signedIn = true;
  document.getElementById("account-sid").textContent = session.sid;
  document.getElementById("account").hidden = false;
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
