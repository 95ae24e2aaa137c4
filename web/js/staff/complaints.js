// The complaints queue, most urgent SLA first: take, answer (the participant sees it), close.

import { gql, isError } from "../api.js";
import { errorBox, h, replace, section, when } from "../dom.js";
import { L, lang, word } from "../i18n.js";
import { subscribe } from "../live.js";
import { ANSWER, ASSIGN, CLOSE, COMPLAINTS, QUEUE_CHANGES } from "./docs.js";

function item(c, refresh) {
  const out = h("div");
  const run = (doc, vars, key) => async () => {
    const r = (await gql(doc, vars()))[key];
    if (isError(r)) return replace(out, errorBox(r.message));
    refresh();
  };
  const answer = h("textarea", { name: "answer", rows: 2, "aria-label": L("Jawaban", "Answer") });
  return h("li", { className: `complaint${c.overdue ? " overdue" : ""}`, dataset: { complaint: c.id } },
    h("p", {}, h("strong", {}, word(c.status)), ` · ${c.category} · SLA ${when(c.slaDueAt, lang())}`,
      c.overdue ? h("span", { className: "badge badge-fail" }, L("lewat SLA", "overdue")) : null),
    h("p", {}, c.text),
    h("p", { className: "muted" }, `${L("kasus", "case")} `, h("a", { href: `#/staff/case/${encodeURIComponent(c.caseId)}` }, c.caseId.slice(0, 12) + "…"),
      c.assignedTo ? ` · ${c.assignedTo}` : ""),
    c.answer ? h("p", { className: "answer" }, c.answer) : null,
    out,
    h("p", { className: "row" },
      c.status === "OPEN" ? h("button", { type: "button", onclick: run(ASSIGN, () => ({ id: c.id }), "assignComplaint") }, L("Ambil", "Take")) : null,
      ["OPEN", "ASSIGNED"].includes(c.status) ? [answer, h("button", { type: "button", onclick: run(ANSWER, () => ({ id: c.id, a: answer.value }), "answerComplaint") }, L("Jawab", "Answer"))] : null,
      c.status === "ANSWERED" ? h("button", { type: "button", className: "secondary", onclick: run(CLOSE, () => ({ id: c.id }), "closeComplaint") }, L("Tutup", "Close")) : null));
}

export async function render(root) {
  const overdue = h("input", { type: "checkbox", id: "overdue-only" });
  const list = h("div");
  async function draw() {
    const r = (await gql(COMPLAINTS, { status: ["OPEN", "ASSIGNED", "ANSWERED"], overdue: overdue.checked })).complaints;
    if (isError(r)) return replace(list, errorBox(r.message));
    replace(list, r.items.length ? h("ul", { className: "plain" }, r.items.map((c) => item(c, draw)))
      : h("p", { className: "muted" }, L("Antrean kosong.", "The queue is empty.")));
  }
  overdue.addEventListener("change", draw);
  replace(root, h("h1", {}, L("Pengaduan", "Complaints")),
    h("div", { className: "check" }, overdue, h("label", { htmlFor: "overdue-only" }, L("Hanya yang lewat SLA", "Overdue only"))),
    section(L("Antrean", "Queue"), list));
  await draw();
  return subscribe(QUEUE_CHANGES, {}, (e) => { if (e.__typename === "QueueChange" && e.queue === "complaints") draw(); });
}
