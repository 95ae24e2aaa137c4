// Job recommendations (after the first certificate) and the province's trending job categories.

import { gql, isError } from "../api.js";
import { errorBox, h, replace, rupiah, section } from "../dom.js";
import { L } from "../i18n.js";
import { JOBS, MARK_VACANCY, MY_CASE } from "./docs.js";

function recommendation(r, refresh) {
  const v = r.vacancy;
  const mark = (action) => async () => {
    const res = (await gql(MARK_VACANCY, { id: v.id, a: action })).markVacancy;
    if (!isError(res)) refresh();
  };
  const salary = v.salaryMin ? `${rupiah(v.salaryMin)}–${rupiah(v.salaryMax ?? v.salaryMin)}` : "";
  return h("li", { className: "job" },
    h("p", {}, h("strong", {}, v.title), ` — ${v.employer}, ${v.provinceName ?? ""} ${salary}`),
    h("ul", { className: "muted" }, r.explanation.map((e) => h("li", {}, e))),
    h("p", { className: "row" },
      /^https?:\/\//.test(v.url) ? h("a", { href: v.url, rel: "noopener noreferrer", target: "_blank" }, L("Lihat lowongan", "View vacancy")) : null,
      r.myAction ? h("span", { className: "badge" }, r.myAction) : [
        h("button", { type: "button", onclick: mark("APPLIED") }, L("Sudah melamar", "I applied")),
        h("button", { type: "button", className: "secondary", onclick: mark("NOT_INTERESTED") }, L("Tidak tertarik", "Not interested"))]));
}

export async function render(root) {
  async function draw() {
    const me = (await gql(MY_CASE)).myCase;
    if (isError(me)) return replace(root, errorBox(me.message));
    const data = await gql(JOBS, { province: me.application.domicile.provinceCode });
    const recs = data.myJobRecommendations;
    const trend = data.trendingJobs;
    replace(root, h("h1", {}, L("Lowongan kerja", "Jobs")),
      section(L("Rekomendasi untuk Anda", "Recommended for you"),
        isError(recs) ? errorBox(recs.message) : recs.items.length
          ? h("ul", { className: "plain" }, recs.items.map((r) => recommendation(r, draw)))
          : h("p", { className: "muted" }, recs.reason || L("Belum ada rekomendasi.", "No recommendations yet."))),
      section(L("Pekerjaan yang sedang dicari", "Trending jobs"),
        isError(trend) ? errorBox(trend.message) : trend.items.length
          ? h("ol", {}, trend.items.map((i) => h("li", {}, `${i.category} — ${i.applications} ${L("lamaran", "applications")}, ${i.vacancies} ${L("lowongan", "vacancies")}`)))
          : h("p", { className: "muted" }, L("Belum ada data bulan ini.", "No data this month yet."))));
  }
  await draw();
}
