// Case search with keyset pagination (newest application first); each row opens the case page.

import { gql, isError } from "../api.js";
import { errorBox, field, h, replace, section, when } from "../dom.js";
import { L, lang, stageLabel } from "../i18n.js";
import { CASES } from "./docs.js";

const STAGES = ["APPLIED", "VALIDATING", "ELIGIBLE", "IN_WAVE", "SELECTED", "ENROLLED", "TRAINING", "REVOKED", "INELIGIBLE", "JOB_SEARCH", "CLAWBACK", "CLOSED"];
const FLAGS = ["PAYOUT_FAILED", "CLAWBACK", "CARD_REVOKED", "NO_PURCHASE_YET"];

function filterFrom(form) {
  const v = (n) => form.elements[n].value.trim() || null;
  const flags = FLAGS.filter((f) => form.elements[`flag-${f}`].checked);
  return { namePrefix: v("namePrefix"), nik: v("nik"), provinceCode: v("provinceCode"), stage: v("stage"),
    cardNumber: v("cardNumber"), waveId: v("waveId"), flags: flags.length ? flags : null };
}

function results(edges) {
  if (!edges.length) return h("p", { className: "muted", id: "no-results" }, L("Tidak ada kasus.", "No cases."));
  return h("table", { id: "case-results" },
    h("caption", { className: "visually-hidden" }, L("Hasil pencarian", "Search results")),
    h("thead", {}, h("tr", {}, [L("Nama", "Name"), "NIK", L("Provinsi", "Province"), L("Tahap", "Stage"), L("Mendaftar", "Applied")].map((x) => h("th", { scope: "col" }, x)))),
    h("tbody", {}, edges.map(({ node: c }) => h("tr", {},
      h("td", {}, h("a", { href: `#/staff/case/${encodeURIComponent(c.id)}` }, c.application.fullName)),
      h("td", { className: "mono" }, c.application.nikMasked),
      h("td", {}, c.application.domicile.provinceName ?? c.application.domicile.provinceCode),
      h("td", {}, stageLabel(c.stage)), h("td", {}, when(c.appliedAt, lang()))))));
}

export async function render(root) {
  const out = h("div");
  const more = h("div");
  const form = h("form", { className: "stack", id: "case-search" },
    h("div", { className: "filters" },
      field(L("Awalan nama", "Name starts with"), h("input", { name: "namePrefix", type: "search" })),
      field("NIK", h("input", { name: "nik", inputMode: "numeric", autocomplete: "off" })),
      field(L("Kode provinsi", "Province code"), h("input", { name: "provinceCode", size: 4 })),
      field(L("Tahap", "Stage"), h("select", { name: "stage" }, h("option", { value: "" }, L("semua", "any")), STAGES.map((s) => h("option", { value: s }, stageLabel(s))))),
      field(L("Nomor kartu", "Card number"), h("input", { name: "cardNumber", inputMode: "numeric" })),
      field(L("Gelombang", "Wave"), h("input", { name: "waveId" }))),
    h("fieldset", { className: "filters" }, h("legend", {}, L("Tanda", "Flags")),
      FLAGS.map((f) => h("div", { className: "check" }, h("input", { type: "checkbox", name: `flag-${f}`, id: `flag-${f}` }), h("label", { htmlFor: `flag-${f}` }, f)))),
    h("button", { type: "submit", id: "search-submit" }, L("Cari", "Search")));

  async function page(filter, after, append) {
    const r = (await gql(CASES, { filter, first: 20, after })).cases;
    if (isError(r)) return replace(out, errorBox(r.message));
    const table = results(r.edges);
    if (append && out.querySelector("tbody") && table.querySelector) out.querySelector("tbody").append(...table.querySelectorAll("tbody tr"));
    else replace(out, table);
    replace(more, r.pageInfo.hasNextPage
      ? h("button", { type: "button", className: "secondary", onclick: () => page(filter, r.pageInfo.endCursor, true) }, L("Muat lebih banyak", "Load more"))
      : null);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    page(filterFrom(form), null, false);
  });
  replace(root, h("h1", {}, L("Cari kasus", "Find cases")), section(L("Filter", "Filter"), form), section(L("Hasil", "Results"), out, more));
  await page({}, null, false);
}
