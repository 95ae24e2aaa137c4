// What-if for policy makers: re-run a decided wave's lottery under other quotas, priority cohorts or household
// limit and see both selections side by side per province (the real result is untouched; docs/what-if.md).

import { gql, isError } from "../api.js";
import { announce, errorBox, field, h, replace, section } from "../dom.js";
import { L } from "../i18n.js";
import { START_WHAT_IF, WHAT_IF } from "./docs.js";

/** "32=120, 33=0" → [{provinceCode, quota}] */
function quotaList(text) {
  return text.split(/[\s,;]+/).filter(Boolean).map((pair) => {
    const [code, quota] = pair.split(/[=:]/);
    return { provinceCode: code.trim(), quota: Number(quota) };
  });
}

function input(quotas, cohorts, limit, waveId) {
  const inp = { waveId, clientKey: `console-${Date.now()}-${Math.random().toString(36).slice(2, 10)}` };
  inp.provinceQuotas = quotaList(quotas.value);
  const names = cohorts.value.trim();
  if (names) inp.priorityCohorts = names === "-" ? [] : names.split(",").map((c) => c.trim()).filter(Boolean);
  if (limit.value) inp.householdLimit = Number(limit.value);
  return inp;
}

function comparison(r) {
  const head = [L("Provinsi", "Province"), L("Bergabung", "Joined"), L("Kuota", "Quota"), L("Terpilih (nyata)", "Selected (real)"),
    L("Terpilih (simulasi)", "Selected (what-if)"), L("Di keduanya", "In both"), L("Hanya nyata", "Only real"),
    L("Hanya simulasi", "Only what-if"), L("Tidak terpilih: alasan (nyata → simulasi)", "Not selected: reason (real → what-if)")];
  const excluded = (p) => p.real.reasons.filter((x) => !x.reason.startsWith("SELECTED")).map((x) => {
    const mine = p.whatIf.reasons.find((y) => y.reason === x.reason)?.joiners ?? 0;
    return x.joiners || mine ? `${x.reason.replace("NOT_SELECTED_", "")} ${x.joiners} → ${mine}` : null;
  }).filter(Boolean).join("; ");
  const row = (p, label) => h("tr", { dataset: { province: p.provinceCode ?? "total" } },
    h("th", { scope: "row" }, label), h("td", { className: "num" }, p.joined),
    h("td", { className: "num" }, p.real.quota === p.whatIf.quota ? p.real.quota : `${p.real.quota} → ${p.whatIf.quota}`),
    h("td", { className: "num real-selected" }, p.real.selected), h("td", { className: "num what-if-selected" }, p.whatIf.selected),
    h("td", { className: "num" }, p.inBoth), h("td", { className: "num" }, p.onlyReal), h("td", { className: "num" }, p.onlyWhatIf),
    h("td", {}, excluded(p)));
  return h("div", { className: "table-scroll" }, h("table", {},
    h("caption", {}, r.sameAsReal ? L("Sama persis dengan hasil nyata", "Exactly the real selection")
      : L("Hasil nyata dan simulasi berdampingan", "The real selection and the what-if side by side")),
    h("thead", {}, h("tr", {}, head.map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, r.provinces.map((p) => row(p, p.provinceName || p.provinceCode)), row(r.total, L("Jumlah", "Total")))));
}

/** The what-if form of a decided wave and, once run, the side-by-side table. */
export function whatIfPanel(wave) {
  const quotas = h("input", { name: "whatIfQuotas", placeholder: "32=120, 33=0" });
  const cohorts = h("input", { name: "whatIfCohorts", placeholder: "KEMNAKER" });
  const limit = h("input", { name: "whatIfHouseholdLimit", type: "number", min: "1", max: "10" });
  const out = h("div", { id: "what-if-result" });
  const form = h("form", { className: "stack", id: "what-if" },
    h("div", { className: "filters" },
      field(L("Kuota yang berbeda", "Quotas that differ"), quotas, L("kode=kuota; provinsi lain tetap", "code=quota; other provinces unchanged")),
      field(L("Kohort prioritas", "Priority cohorts"), cohorts, L("kosong: semua; -: tanpa prioritas", "empty: all; -: none")),
      field(L("Batas per KK", "Places per KK"), limit, L("kosong: aturan skema", "empty: the scheme's"))),
    h("button", { type: "submit" }, L("Jalankan simulasi", "Run what-if")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    let r = (await gql(START_WHAT_IF, { input: input(quotas, cohorts, limit, wave.id) })).startWhatIf;
    while (!isError(r) && (r.status === "QUEUED" || r.status === "RUNNING")) {
      replace(out, h("p", { className: "muted", dataset: { status: r.status } }, L("Simulasi berjalan…", "The what-if is running…")));
      await new Promise((done) => setTimeout(done, 1000));
      r = (await gql(WHAT_IF, { id: r.id })).whatIf;
    }
    if (isError(r)) return replace(out, errorBox(r.message));
    if (r.status === "FAILED") return replace(out, errorBox(r.error || L("Simulasi gagal.", "The what-if failed.")));
    replace(out, h("div", { dataset: { status: r.status, whatIf: r.id } }, comparison(r)));
    announce(L("Simulasi selesai.", "The what-if is done."));
  });
  return section(L("Simulasi (what-if)", "What-if"),
    h("p", { className: "muted" }, L("Undian gelombang ini dijalankan ulang dengan parameter lain; hasil nyata tidak berubah.",
      "This wave's lottery run again under other parameters; the real result does not change.")), form, out);
}
