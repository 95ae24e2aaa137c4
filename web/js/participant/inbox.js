// Notifications (SMS / e-mail sent to the participant) and complaints with the staff's answers.

import { gql, isError } from "../api.js";
import { announce, errorBox, field, h, replace, section, when } from "../dom.js";
import { L, lang, word } from "../i18n.js";
import { FILE_COMPLAINT, INBOX } from "./docs.js";

const CATEGORIES = {
  PAYMENT: ["Pembayaran insentif", "Incentive payment"], TRAINING: ["Pelatihan", "Training"], CARD: ["Kartu", "Card"],
  DATA_CORRECTION: ["Perbaikan data", "Data correction"], SELECTION: ["Seleksi", "Selection"], OTHER: ["Lainnya", "Other"],
};

function complaintForm(refresh) {
  let requestId = "web-" + crypto.randomUUID();
  const category = h("select", { name: "category" }, Object.entries(CATEGORIES).map(([k, [id, en]]) => h("option", { value: k }, L(id, en))));
  const text = h("textarea", { name: "text", rows: 4, maxLength: 2000 });
  const out = h("div");
  const form = h("form", { className: "stack", id: "complaint-form" },
    field(L("Kategori", "Category"), category), field(L("Pengaduan Anda", "Your complaint"), text), out,
    h("button", { type: "submit" }, L("Kirim pengaduan", "File complaint")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = (await gql(FILE_COMPLAINT, { c: category.value, t: text.value, r: requestId })).fileComplaint;
    if (isError(r)) return replace(out, errorBox(r.message));
    requestId = "web-" + crypto.randomUUID();
    announce(L("Pengaduan terkirim", "Complaint filed"));
    refresh();
  });
  return form;
}

export async function render(root) {
  async function draw() {
    const c = (await gql(INBOX)).myCase;
    if (isError(c)) return replace(root, errorBox(c.message));
    replace(root, h("h1", {}, L("Pesan & pengaduan", "Messages & complaints")),
      section(L("Pemberitahuan", "Notifications"), c.notifications.length
        ? h("ul", { className: "plain" }, c.notifications.map((n) => h("li", { className: "note" },
          h("p", { className: "muted" }, `${when(n.createdAt, lang())} · ${n.channel} · ${n.kind}`), h("p", {}, n.body))))
        : h("p", { className: "muted" }, L("Belum ada pemberitahuan.", "No notifications yet."))),
      section(L("Pengaduan", "Complaints"),
        h("ul", { className: "plain" }, c.complaints.map((x) => h("li", { className: "note" },
          h("p", {}, h("strong", {}, word(x.status)), ` · ${x.category} · ${when(x.filedAt, lang())} · SLA ${when(x.slaDueAt, lang())}`),
          h("p", {}, x.text), x.answer ? h("p", { className: "answer" }, L("Jawaban: ", "Answer: "), x.answer) : null))),
        complaintForm(draw)));
  }
  await draw();
}
