// Sign-in. In dev mode the server mints a token for a chosen role (POST /dev/session); otherwise paste the
// bearer token issued by the identity provider. Either way it is kept in sessionStorage only.

import { errorBox, field, h, replace, section } from "./dom.js";
import { L } from "./i18n.js";
import { openStaffUiSession, signIn } from "./session.js";

async function landing(s) {
  await openStaffUiSession(s);
  location.hash = s.endpoint === "staff" ? "#/staff/funnel" : "#/me";
}

function devForm(config, out) {
  const role = h("select", { name: "role" },
    h("option", { value: "participant" }, L("Peserta", "Participant")),
    h("option", { value: "staff" }, L("Staf (operator)", "Staff (operator)")),
    h("option", { value: "supervisor" }, L("Supervisor", "Supervisor")));
  const subject = h("input", { name: "subject", required: true, autocomplete: "username", value: "peserta-1", pattern: "[A-Za-z0-9._:@\\-]{1,64}" });
  const provinces = h("select", { name: "provinces", multiple: true, size: 5 },
    config.provinces.map((p) => h("option", { value: p.code }, `${p.code} ${p.name}`)));
  const form = h("form", { className: "stack", id: "dev-signin" },
    field(L("Peran", "Role"), role),
    field(L("Nama akun", "Account name"), subject, L("Akun yang sama = kasus yang sama.", "The same account = the same case.")),
    field(L("Provinsi (staf; kosong = nasional)", "Provinces (staff; none = national)"), provinces),
    h("button", { type: "submit" }, L("Masuk (mode pengembangan)", "Sign in (development mode)")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const resp = await fetch("/dev/session", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ role: role.value, subject: subject.value, provinces: [...provinces.selectedOptions].map((o) => o.value) }),
    });
    const body = await resp.json().catch(() => ({}));
    if (!resp.ok) return replace(out, errorBox(body.error || `HTTP ${resp.status}`));
    landing(signIn(body.token));
  });
  return section(L("Masuk cepat (pengembangan)", "Quick sign-in (development)"),
    h("p", { className: "hint" }, L("Hanya saat DEV_MODE=1: server membuat token uji.", "Only with DEV_MODE=1: the server mints a test token.")), form,
    h("p", {}, h("a", { href: "#/dev/inbox", id: "dev-inbox-link" }, L("Kotak masuk pengembangan (SMS, e-mail, OTP)", "Development inbox (SMS, e-mail, OTP)"))));
}

function pasteForm(out) {
  const token = h("textarea", { name: "token", rows: 3, required: true, spellcheck: false, autocomplete: "off" });
  const form = h("form", { className: "stack", id: "token-signin" },
    field(L("Token akses (Bearer)", "Access token (Bearer)"), token,
      L("Dari penyedia identitas Anda. Disimpan hanya di tab ini.", "From your identity provider. Kept in this tab only.")),
    h("button", { type: "submit" }, L("Masuk dengan token", "Sign in with token")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    try {
      landing(signIn(token.value.trim().replace(/^Bearer\s+/i, "")));
    } catch (err) {
      replace(out, errorBox(L("Token tidak dapat dibaca: ", "The token cannot be read: ") + err.message));
    }
  });
  return section(L("Masuk dengan token", "Sign in with a token"), form);
}

export async function render(root) {
  // The sign-in page must show even while the server restarts (a session that ended then lands here).
  const config = await fetch("/console.json").then((r) => r.json()).catch(() => ({ devMode: false }));
  const out = h("div");
  // Kept until the next sign-in (session.js): two renders racing (the hash change and the live client's) both show it.
  const reason = sessionStorage.getItem("prakerja.signin.reason");
  const notice = reason === "expired"
    ? h("p", { className: "error", role: "alert", id: "signin-reason" },
      L("Sesi Anda telah berakhir. Silakan masuk lagi.", "Your session has ended. Please sign in again."))
    : null;
  replace(root, h("h1", {}, L("Masuk", "Sign in")), notice, out, config.devMode ? devForm(config, out) : null, pasteForm(out));
}
