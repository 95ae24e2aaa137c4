// Card and balance, trainings (purchase, redeem code, attendance, certificate, rating), the incentive schedule
// and payout status, and the payout account (with "relink your account" after a failed transfer).

import { gql, isError } from "../api.js";
import { announce, errorBox, field, h, replace, rupiah, section, when } from "../dom.js";
import { L, lang, word } from "../i18n.js";
import { LINK, MONEY, RATE, UNLINK } from "./docs.js";
import { moneyWord } from "./money_words.js";

const PROVIDERS = ["BNI", "BCA", "BRI", "MANDIRI", "OVO", "GOPAY", "LINKAJA", "DANA", "SHOPEEPAY"];

function cardSection(c) {
  if (!c.card) return section(L("Kartu Prakerja", "Kartu Prakerja"), h("p", { className: "muted" }, L("Kartu terbit setelah Anda lolos seleksi gelombang.", "The card is issued once you are selected in a wave.")));
  const k = c.card;
  return section(L("Kartu Prakerja", "Kartu Prakerja"),
    h("p", { className: "card-number", id: "card-number" }, k.number.replace(/(\d{4})(?=\d)/g, "$1 ")),
    h("p", {}, L("Saldo: ", "Balance: "), h("strong", { id: "balance" }, rupiah(c.balance)), ` · ${word(k.status)}`),
    k.status === "ACTIVE" ? h("p", { className: "muted" }, L("Beli pelatihan pertama sebelum ", "Buy your first training before "), when(k.firstPurchaseDeadline, lang())) : null,
    k.revokedAt ? h("p", { className: "error" }, L("Dicabut: ", "Revoked: "), k.revokeReason) : null,
    c.ledger.length ? h("details", {}, h("summary", {}, L("Mutasi saldo", "Balance history")),
      h("ul", {}, c.ledger.map((e) => h("li", {}, `${when(e.at, lang())} ${moneyWord(e.kind)} ${rupiah(e.amount)} — ${e.reference}`)))) : null);
}

function rateForm(t, refresh) {
  const stars = h("select", { name: "stars" }, [5, 4, 3, 2, 1].map((n) => h("option", { value: String(n) }, "★".repeat(n))));
  const review = h("input", { name: "review", type: "text", maxLength: 500 });
  const out = h("div");
  const form = h("form", { className: "inline-form" },
    field(L("Nilai", "Rating"), stars), field(L("Ulasan", "Review"), review), out,
    h("button", { type: "submit" }, L("Kirim penilaian", "Rate")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = (await gql(RATE, { v: t.voucherCode, s: Number(stars.value), r: review.value })).rateTraining;
    if (isError(r)) return replace(out, errorBox(r.message));
    refresh();
  });
  return form;
}

function trainings(c, refresh) {
  if (!c.trainings.length) return h("p", { className: "muted" }, L("Belum ada pelatihan yang dibeli.", "No training bought yet."));
  return h("ul", { className: "plain" }, c.trainings.map((t) => h("li", { className: "training" },
    h("p", {}, h("strong", {}, t.course.title), ` (${moneyWord(t.course.mode)}) — ${moneyWord(t.status)}`, t.statusReason ? `: ${t.statusReason}` : ""),
    h("p", { className: "muted" }, L("Kode voucher ", "Voucher "), t.voucherCode, L(" · kode redeem ", " · redeem code "), h("code", {}, t.redeemCode),
      " · ", when(t.purchasedAt, lang())),
    h("p", {}, L("Kehadiran: ", "Attendance: "), t.attendance.length ? t.attendance.map((a) => `#${a.sequence}`).join(", ") : "—"),
    t.certificateSerial ? h("p", {}, L("Sertifikat ", "Certificate "), h("strong", {}, t.certificateSerial)) : null,
    t.certificateSerial && t.rating == null ? rateForm(t, refresh) : t.rating != null ? h("p", {}, "★".repeat(t.rating)) : null)));
}

function linkForm(refresh, relink) {
  const provider = h("select", { name: "provider" }, PROVIDERS.map((p) => h("option", { value: p }, p)));
  const number = h("input", { name: "accountNumber", type: "text", inputMode: "numeric", autocomplete: "off" });
  const out = h("div");
  const form = h("form", { className: "stack", id: "link-form" },
    field(L("Bank / dompet digital", "Bank / e-wallet"), provider),
    field(L("Nomor rekening / HP", "Account / phone number"), number), out,
    h("button", { type: "submit" }, relink ? L("Hubungkan ulang akun", "Relink your account") : L("Hubungkan akun", "Link account")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = (await gql(LINK, { p: provider.value, n: number.value.trim() })).linkPayoutAccount;
    if (isError(r)) return replace(out, errorBox(`${r.message} (${r.code})`));
    announce(L("Akun terhubung", "Account linked"));
    refresh();
  });
  return form;
}

function incentives(c, refresh) {
  const p = c.incentivePrerequisites;
  const failed = c.incentives.some((i) => i.status === "FAILED");
  const unlink = h("button", { type: "button", className: "secondary", onclick: async () => {
    const r = (await gql(UNLINK)).unlinkPayoutAccount;
    if (!isError(r)) refresh();
  } }, L("Putuskan akun", "Unlink account"));
  return section(L("Insentif", "Incentives"),
    h("p", {}, L("Syarat: ", "Prerequisites: "),
      [[p.certificate, L("sertifikat", "certificate")], [p.rating, L("penilaian", "rating")], [p.account, L("akun terhubung", "linked account")]]
        .map(([ok, label]) => h("span", { className: ok ? "badge badge-pass" : "badge" }, (ok ? "✓ " : "… ") + label))),
    failed ? h("p", { className: "error", role: "alert", id: "relink-alert" },
      L("Pencairan gagal (gagal dicairkan). Hubungkan ulang akun Anda; pencairan akan dicoba lagi otomatis.",
        "A payout failed. Relink your account; the transfer is retried automatically.")) : null,
    c.payoutAccount ? h("p", {}, `${c.payoutAccount.provider} ${c.payoutAccount.accountNumberMasked} (${c.payoutAccount.holderName}) `, unlink) : null,
    !c.payoutAccount && c.card ? linkForm(refresh, failed) : null,
    c.incentives.length ? h("div", { className: "table-scroll" }, h("table", {},
      h("caption", { className: "visually-hidden" }, L("Jadwal insentif", "Incentive schedule")),
      h("thead", {}, h("tr", {}, ["#", L("Jenis", "Kind"), L("Jumlah", "Amount"), L("Status", "Status"), L("Tanggal", "Date")].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, c.incentives.map((i) => h("tr", {},
        h("td", {}, i.number), h("td", { dataset: { kind: i.kind } }, moneyWord(i.kind)), h("td", {}, rupiah(i.amount)),
        h("td", {}, word(i.status), i.failureReason ? ` — ${i.failureReason}` : ""),
        h("td", {}, when(i.paidAt || i.dueAt, lang()))))))) : h("p", { className: "muted" }, L("Jadwal muncul setelah semua syarat terpenuhi.", "The schedule appears once every prerequisite is met.")),
    h("p", {}, L("Sudah cair: ", "Paid so far: "), rupiah(c.incentivesPaid)));
}

export async function render(root) {
  async function draw() {
    const c = (await gql(MONEY)).myCase;
    if (isError(c)) return replace(root, errorBox(c.message));
    replace(root, h("h1", {}, L("Kartu, pelatihan & insentif", "Card, trainings & incentives")),
      cardSection(c), section(L("Pelatihan", "Trainings"), trainings(c, draw)), incentives(c, draw));
  }
  await draw();
}
