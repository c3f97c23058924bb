// The console's calls to /console/api: same-origin fetches that carry the session cookie, and the
// CSRF token on every POST and DELETE (the server refuses them without it).

let csrf = "";

// `fields`: the API's {field: reason} of a validation error ({} otherwise), for the form to
// show each reason beside its field.
export class ApiError extends Error {
  constructor(status, message, fields = {}) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

export function setCsrf(token) {
  csrf = token || "";
}

export async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRF-Token"] = csrf;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(`/console/api/${path}`, {
    method,
    headers,
    credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    // not JSON: a proxy's page, say; the status tells enough
  }
  if (response.status === 401 && path !== "session") {
    // The session ended (idle, lifetime, signed out elsewhere): back to the sign-in page.
    window.dispatchEvent(new Event("console-signed-out"));
  }
  if (!response.ok) {
    const fields = data && data.error && typeof data.error === "object" ? data.error : {};
    throw new ApiError(response.status, messageOf(data) || `HTTP ${response.status}`, fields);
  }
  return data;
}

// The API's errors: {"code", "message", "error": {field: reason}}.
function messageOf(data) {
  if (!data) return "";
  const fields = data.error && typeof data.error === "object" ? Object.entries(data.error) : [];
  if (fields.length > 0) return fields.map(([name, reason]) => `${name}: ${reason}`).join("; ");
  return data.message || "";
}
