// The programme funnel (registered → paid) per wave and per province, refreshed as cases change.

import { gql, isError } from "../api.js";
import { errorBox, field, h, replace, section } from "../dom.js";
import { L, stepLabel } from "../i18n.js";
import { subscribe } from "../live.js";
import { session } from "../session.js";
import { barChart } from "./charts.js";
import { CASE_CHANGES, FUNNEL, WAVES } from "./docs.js";

function pct(part, whole) {
  return whole ? `${Math.round((part / whole) * 100)}%` : "–";
}

function table(steps) {
  return h("table", { className: "compact" },
    h("caption", {}, L("Angka corong", "Funnel figures")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, L("Tahap", "Step")), h("th", { scope: "col" }, L("Kasus", "Cases")), h("th", { scope: "col" }, L("dari tahap sebelumnya", "of previous step")))),
    h("tbody", {}, steps.map((st, i) => h("tr", { dataset: { step: st.step } },
      h("th", { scope: "row" }, stepLabel(st.step)), h("td", { className: "num" }, st.count), h("td", { className: "num" }, i ? pct(st.count, steps[i - 1].count) : "")))));
}

export async function render(root) {
  const [config, waves] = await Promise.all([fetch("/console.json").then((r) => r.json()), gql(WAVES)]);
  const scope = session().provinces;
  const provinces = config.provinces.filter((p) => !scope || scope.includes("*") || scope.includes(p.code));
  const wave = h("select", { name: "wave" }, h("option", { value: "" }, L("Semua gelombang", "All waves")),
    waves.waves.map((w) => h("option", { value: w.id }, `${w.id} (${w.status})`)));
  const province = h("select", { name: "province" }, h("option", { value: "" }, L("Semua provinsi (cakupan Anda)", "All provinces (your scope)")),
    provinces.map((p) => h("option", { value: p.code }, `${p.code} ${p.name}`)));
  const out = h("div", { id: "funnel" });

  async function draw() {
    const r = (await gql(FUNNEL, { wave: wave.value || null, province: province.value || null })).funnel;
    if (isError(r)) return replace(out, errorBox(r.message));
    const title = `${L("Corong program", "Programme funnel")} — ${r.waveId ?? L("semua gelombang", "all waves")}, ${r.provinceName ?? L("semua provinsi", "all provinces")}`;
    const rows = r.steps.map((st) => ({ label: stepLabel(st.step), value: st.count }));
    replace(out, barChart(rows, { title }), table(r.steps));
  }

  wave.addEventListener("change", draw);
  province.addEventListener("change", draw);
  replace(root, h("h1", {}, L("Corong program", "Programme funnel")),
    section(L("Filter", "Filter"), h("div", { className: "filters" }, field(L("Gelombang", "Wave"), wave), field(L("Provinsi", "Province"), province))),
    section(L("Dari pendaftaran sampai insentif", "From registration to incentives"), out));
  await draw();
  let pending = null;
  const stop = subscribe(CASE_CHANGES, {}, () => {
    clearTimeout(pending);
    pending = setTimeout(draw, 1500);
  });
  return () => { stop(); clearTimeout(pending); };
}
