// Waves: schedule one (quotas per province), watch per-province quota/joined/selected bars live, close or
// extend with a reason (audited).

import { gql, isError } from "../api.js";
import { announce, errorBox, field, h, replace, section, when } from "../dom.js";
import { L, lang, word } from "../i18n.js";
import { quotaChart } from "./charts.js";
import { CLOSE_WAVE, CREATE_WAVE, EXTEND_WAVE, WAVE_DETAIL, WAVES } from "./docs.js";
import { whatIfPanel } from "./what_if.js";

function localInput(name, date) {
  const pad = (n) => String(n).padStart(2, "0");
  const value = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
  return h("input", { type: "datetime-local", name, value });
}

/** "32=100, 33=50" → [{provinceCode, quota}] */
function parseQuotas(text) {
  return text.split(/[\s,;]+/).filter(Boolean).map((pair) => {
    const [code, quota] = pair.split(/[=:]/);
    return { provinceCode: code.trim(), quota: Number(quota) };
  });
}

function createForm(refresh) {
  const number = Math.floor(Date.now() / 1000) % 100000;
  const now = new Date();
  const waveId = h("input", { name: "waveId", value: `G${number}` });
  const num = h("input", { name: "number", type: "number", value: String(number), min: "1" });
  const opens = localInput("opensAt", now);
  const closes = localInput("closesAt", new Date(now.getTime() + 60 * 60 * 1000));
  const quotas = h("input", { name: "quotas", placeholder: "32=100, 33=50" });
  const out = h("div");
  const form = h("form", { className: "stack", id: "create-wave" },
    h("div", { className: "filters" }, field(L("ID gelombang", "Wave ID"), waveId), field(L("Nomor", "Number"), num)),
    h("div", { className: "filters" }, field(L("Dibuka", "Opens"), opens), field(L("Ditutup", "Closes"), closes)),
    field(L("Kuota per provinsi", "Quota per province"), quotas, L("kode=kuota, dipisah koma", "code=quota, comma-separated")),
    out, h("button", { type: "submit" }, L("Jadwalkan gelombang", "Schedule wave")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = {
      waveId: waveId.value.trim(), number: Number(num.value),
      opensAt: new Date(opens.value).toISOString(), closesAt: new Date(closes.value).toISOString(),
      provinceQuotas: parseQuotas(quotas.value),
    };
    const r = (await gql(CREATE_WAVE, { input })).createWave;
    if (isError(r)) return replace(out, errorBox(r.message));
    announce(L("Gelombang dijadwalkan: ", "Wave scheduled: ") + r.id);
    refresh(r.id);
  });
  return form;
}

function reasonAction(label, id, run, extra) {
  const reason = h("input", { name: "reason", required: true });
  const out = h("div");
  const form = h("form", { className: "inline-form", id }, extra, field(L("Alasan", "Reason"), reason), out, h("button", { type: "submit" }, label));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = await run(reason.value.trim());
    if (isError(r)) replace(out, errorBox(r.message));
  });
  return form;
}

function detail(w, refresh) {
  const closesAt = localInput("newClosesAt", new Date(new Date(w.closesAt).getTime() + 24 * 3600 * 1000));
  return section(`${L("Gelombang", "Wave")} ${w.id}`,
    h("p", {}, h("strong", { id: "wave-status", dataset: { status: w.status } }, w.status), ` · ${L("kuota", "quota")} ${w.nationalQuota}`,
      w.selectedCount != null ? ` · ${L("terpilih", "selected")} ${w.selectedCount}` : "",
      ` · ${when(w.opensAt, lang())} → ${when(w.closesAt, lang())}`),
    w.seedCommitment ? h("p", { className: "muted mono" }, L("Komitmen benih: ", "Seed commitment: "), w.seedCommitment) : null,
    quotaChart(w.provinces || [], L("Terpilih dari kuota per provinsi (bergabung)", "Selected of quota per province (joined)")),
    w.status === "OPEN" ? [
      reasonAction(L("Tutup gelombang", "Close wave"), "close-wave", async (reason) => {
        const r = (await gql(CLOSE_WAVE, { id: w.id, reason })).closeWave;
        if (!isError(r)) refresh(w.id);
        return r;
      }),
      reasonAction(L("Perpanjang", "Extend"), "extend-wave", async (reason) => {
        const r = (await gql(EXTEND_WAVE, { id: w.id, at: new Date(closesAt.value).toISOString(), reason })).extendWave;
        if (!isError(r)) refresh(w.id);
        return r;
      }, field(L("Ditutup baru", "New closing time"), closesAt)),
    ] : null);
}

export async function render(root) {
  let selected = null;
  const list = h("div");
  const panel = h("div", { id: "wave-detail" });
  const whatIf = h("div", { id: "what-if-panel" }); // drawn when a decided wave is chosen, not on every refresh

  async function draw(focus) {
    if (focus) selected = focus;
    const waves = (await gql(WAVES)).waves;
    replace(list, h("table", {},
      h("caption", { className: "visually-hidden" }, L("Daftar gelombang", "Waves")),
      h("thead", {}, h("tr", {}, ["ID", L("Status", "Status"), L("Kuota", "Quota"), L("Terpilih", "Selected"), L("Ditutup", "Closes"), ""].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, waves.map((w) => h("tr", { dataset: { wave: w.id } },
        h("td", {}, w.id), h("td", { className: "wave-status" }, word(w.status === "SCHEDULED" ? "SCHEDULED_WAVE" : w.status)), h("td", { className: "num" }, w.nationalQuota),
        h("td", { className: "num" }, w.selectedCount ?? "–"), h("td", {}, when(w.closesAt, lang())),
        h("td", {}, h("button", { type: "button", className: "secondary", onclick: () => draw(w.id) }, L("Rincian", "Details"))))))));
    if (selected) {
      const w = (await gql(WAVE_DETAIL, { id: selected })).wave;
      if (w) replace(panel, detail(w, draw));
      if (w && focus) replace(whatIf, ["SELECTED", "ANNOUNCED"].includes(w.status) ? whatIfPanel(w) : null);
    }
  }

  replace(root, h("h1", {}, L("Gelombang", "Waves")), panel, whatIf,
    section(L("Semua gelombang", "All waves"), list),
    section(L("Gelombang baru", "New wave"), createForm(draw)));
  await draw();
  // Counts move while a wave is open and its lottery runs: refresh the list and the open panel every 3 s.
  const timer = setInterval(() => {
    if (!document.activeElement || !panel.contains(document.activeElement)) draw();
  }, 3000);
  return () => clearInterval(timer);
}
