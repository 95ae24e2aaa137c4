// The bearer token lives in sessionStorage (gone when the tab closes); never in localStorage or a cookie.

const KEY = "prakerja.session";

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

function claims(token) {
  const part = token.split(".")[1] || "";
  const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
  return JSON.parse(json);
}

/** Accept a token (from dev sign-in or pasted from the identity provider); its claims say who we are. */
export function signIn(token) {
  const c = claims(token);
  const role = String(c.role || "");
  const endpoint = role === "staff" || role === "supervisor" ? "staff" : role === "participant" ? "participant" : null;
  if (!endpoint) throw new Error("unsupported role " + role);
  const value = { token, role, endpoint, subject: String(c.sub || ""), provinces: c.provinces || null, exp: c.exp };
  sessionStorage.setItem(KEY, JSON.stringify(value));
  sessionStorage.removeItem("prakerja.signin.reason"); // the "session ended" notice is for the sign-in page only
  return value;
}

export function signOut() {
  sessionStorage.removeItem(KEY);
  fetch("/codec/session", { method: "DELETE" }).catch(() => {}); // the dev Temporal UI's cookie (DEV_MODE)
}

/** DEV_MODE: staff also get an HttpOnly cookie, so the Temporal UI served at /temporal decodes payloads with
 * their session (docs/temporal-ui.md). Elsewhere the route does not exist and this does nothing. */
export async function openStaffUiSession(s) {
  if (s.endpoint !== "staff") return;
  await fetch("/codec/session", { method: "POST", headers: { authorization: `Bearer ${s.token}` } }).catch(() => {});
}
