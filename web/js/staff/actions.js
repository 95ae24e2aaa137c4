// The four-eyes queue: requests waiting for a supervisor in your provinces; approve (carried out once) or
// reject with a reason. Live through the queueChanges subscription.

import { gql, isError } from "../api.js";
import { announce, errorBox, h, replace, section, when } from "../dom.js";
import { L, lang, word } from "../i18n.js";
import { subscribe } from "../live.js";
import { session } from "../session.js";
import { APPROVE, PENDING, QUEUE_CHANGES, REJECT } from "./docs.js";

function row(r, refresh, out) {
  const supervisor = session().role === "supervisor";
  const reason = h("input", { name: "rejectReason", "aria-label": L("Alasan penolakan", "Reason to reject") });
  const approve = async () => {
    const res = (await gql(APPROVE, { id: r.id })).approveAction;
    if (isError(res)) return replace(out, errorBox(`${res.message} (${res.code})`));
    replace(out, h("p", { className: "ok", id: "approve-result", dataset: { status: res.status } }, `${r.id}: ${word(res.status)} — ${res.result}`));
    announce(word(res.status));
    refresh();
  };
  const reject = async () => {
    const res = (await gql(REJECT, { id: r.id, r: reason.value || "rejected" })).rejectAction;
    if (isError(res)) return replace(out, errorBox(res.message));
    refresh();
  };
  return h("li", { className: "request", dataset: { request: r.id } },
    h("p", {}, h("strong", {}, r.action), ` · ${L("kasus", "case")} `, h("a", { href: `#/staff/case/${encodeURIComponent(r.caseId)}` }, r.caseId.slice(0, 12) + "…")),
    h("p", {}, `${r.reasonCode}: ${r.reason}`, r.params.length ? ` (${r.params.map((p) => `${p.name}=${p.value}`).join(", ")})` : ""),
    h("p", { className: "muted" }, `${L("diajukan", "requested by")} ${r.requestedBy} · ${when(r.requestedAt, lang())} · ${L("kedaluwarsa", "expires")} ${when(r.expiresAt, lang())}`),
    supervisor ? h("p", { className: "row" },
      h("button", { type: "button", onclick: approve, dataset: { approve: r.id } }, L("Setujui", "Approve")),
      reason, h("button", { type: "button", className: "secondary", onclick: reject }, L("Tolak", "Reject")))
      : h("p", { className: "muted" }, L("Hanya supervisor lain yang dapat menyetujui.", "Only another supervisor can approve.")));
}

export async function render(root) {
  const list = h("div", { id: "pending" });
  const out = h("div");
  async function draw() {
    const r = (await gql(PENDING)).pendingActions;
    if (isError(r)) return replace(list, errorBox(r.message));
    replace(list, r.items.length ? h("ul", { className: "plain" }, r.items.map((x) => row(x, draw, out)))
      : h("p", { className: "muted" }, L("Tidak ada permintaan yang menunggu.", "Nothing is waiting.")));
  }
  replace(root, h("h1", {}, L("Persetujuan empat mata", "Four-eyes approvals")), out, section(L("Menunggu", "Waiting"), list));
  await draw();
  const stop = subscribe(QUEUE_CHANGES, {}, (e) => { if (e.__typename === "QueueChange" && e.queue === "operator_requests") draw(); });
  return stop;
}
