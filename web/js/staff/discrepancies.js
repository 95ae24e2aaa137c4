// Reconciliation: differences between the payment partner's statements and our payments; resolve with a note.

import { gql, isError } from "../api.js";
import { errorBox, h, replace, section, when } from "../dom.js";
import { L, lang } from "../i18n.js";
import { DISCREPANCIES, RESOLVE } from "./docs.js";

export async function render(root) {
  const list = h("div");
  const openOnly = h("input", { type: "checkbox", id: "open-only", checked: true });
  async function draw() {
    const r = (await gql(DISCREPANCIES, { open: openOnly.checked })).paymentDiscrepancies;
    if (isError(r)) return replace(list, errorBox(r.message));
    if (!r.items.length) return replace(list, h("p", { className: "muted" }, L("Tidak ada selisih.", "No discrepancies.")));
    replace(list, h("table", {},
      h("caption", { className: "visually-hidden" }, L("Selisih rekonsiliasi", "Reconciliation discrepancies")),
      h("thead", {}, h("tr", {}, [L("Hari", "Day"), L("Jenis", "Kind"), L("Kunci", "Key"), L("Rincian", "Detail"), L("Status", "Status"), ""].map((x) => h("th", { scope: "col" }, x)))),
      h("tbody", {}, r.items.map((d) => {
        const note = h("input", { name: "note", "aria-label": L("Catatan penyelesaian", "Resolution note") });
        const out = h("span");
        const resolve = async () => {
          const res = (await gql(RESOLVE, { id: d.id, note: note.value })).resolveDiscrepancy;
          if (isError(res)) return replace(out, errorBox(res.message));
          draw();
        };
        return h("tr", {}, h("td", {}, d.day), h("td", {}, d.kind), h("td", { className: "mono" }, d.key),
          h("td", {}, d.detail, " ", h("span", { className: "muted" }, when(d.foundAt, lang()))), h("td", {}, d.status),
          h("td", {}, d.status === "OPEN" ? [note, h("button", { type: "button", onclick: resolve }, L("Selesaikan", "Resolve")), out] : null));
      }))));
  }
  openOnly.addEventListener("change", draw);
  replace(root, h("h1", {}, L("Rekonsiliasi pembayaran", "Payment reconciliation")),
    h("div", { className: "check" }, openOnly, h("label", { htmlFor: "open-only" }, L("Hanya yang terbuka", "Open only"))),
    section(L("Selisih", "Discrepancies"), list));
  await draw();
}
