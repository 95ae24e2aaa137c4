// The development inbox (DEV_MODE only): every SMS and e-mail the programme sent, OTP codes included, read from
// the notification outbox through GET /dev/inbox. There is no SMS gateway or mail server in the dev stack.

import { errorBox, field, h, replace, section, when } from "../dom.js";
import { L, lang } from "../i18n.js";

async function load(to) {
  const query = new URLSearchParams({ limit: "100" });
  if (to) query.set("to", to);
  const resp = await fetch(`/dev/inbox?${query}`, { headers: { accept: "application/json" } });
  if (resp.status === 404) return null;
  if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
  return (await resp.json()).messages;
}

function table(messages) {
  if (!messages.length) return h("p", { className: "muted", id: "dev-inbox-empty" }, L("Belum ada pesan terkirim.", "No messages sent yet."));
  return h("table", { id: "dev-inbox" },
    h("caption", {}, L("Terbaru di atas", "Newest first")),
    h("thead", {}, h("tr", {}, [L("Waktu", "Time"), L("Kanal", "Channel"), L("Penerima", "To"), L("Jenis", "Kind"), L("Isi", "Message")]
      .map((t) => h("th", { scope: "col" }, t)))),
    h("tbody", {}, messages.map((m) => h("tr", { dataset: { kind: m.kind, channel: m.channel } },
      h("td", {}, when(m.createdAt, lang())), h("td", {}, m.channel), h("td", { className: "recipient" }, m.recipient),
      h("td", {}, m.kind), h("td", { className: "body" }, m.body)))));
}

export async function render(root) {
  const to = h("input", { name: "to", autocomplete: "off", placeholder: "+6281234567890" });
  const out = h("div", { id: "dev-inbox-out" });
  const form = h("form", { className: "stack", id: "dev-inbox-filter" },
    field(L("Nomor HP atau e-mail (kosong = semua)", "Phone or e-mail (empty = all)"), to),
    h("button", { type: "submit" }, L("Tampilkan", "Show")));
  async function draw() {
    try {
      const messages = await load(to.value.trim());
      if (messages === null) return replace(out, errorBox(L("Kotak masuk pengembangan hanya ada saat DEV_MODE=1.", "The development inbox exists only with DEV_MODE=1.")));
      replace(out, table(messages));
    } catch (err) {
      replace(out, errorBox(err.message));
    }
  }
  form.addEventListener("submit", (event) => { event.preventDefault(); draw(); });
  replace(root, h("h1", {}, L("Kotak masuk pengembangan", "Development inbox")),
    section(L("SMS dan e-mail terkirim", "SMS and e-mails sent"),
      h("p", { className: "hint" }, L("Termasuk kode OTP. Hanya untuk pengembangan: tidak ada di produksi.",
        "OTP codes included. Development only: this page does not exist in production.")), form, out));
  await draw();
}
