// One case: profile, decisions with reasons, timeline (linked into the Temporal Web UI), and operator actions.

import { gql, isError } from "../api.js";
import { announce, errorBox, field, h, replace, rupiah, section, when } from "../dom.js";
import { L, lang, stageLabel, word } from "../i18n.js";
import { CASE, REQUEST_ACTION } from "./docs.js";

const ACTIONS = {
  EXTEND_DEADLINE: ["days"], REVOKE: [], REINSTATE: [], RETRY_PAYOUT: ["tranche"],
  RESEND_NOTIFICATION: ["kind"], CORRECT_PROFILE: ["field", "value"], MARK_INELIGIBLE: ["ineligibility", "evidence"],
};
const REASONS = ["PARTICIPANT_REQUEST", "DATA_ERROR", "SYSTEM_FAULT", "AUDIT_FINDING", "FRAUD_SUSPECTED", "POLICY_DECISION"];

function external(href, label) {
  return /^https?:\/\//.test(href || "") ? h("a", { href, target: "_blank", rel: "noopener noreferrer" }, label) : null;
}

function timeline(events) {
  return h("ol", { className: "timeline", id: "timeline" }, events.map((e) => h("li", {},
    h("p", {}, h("time", { dateTime: e.at }, when(e.at, lang())), " · ", h("strong", {}, e.what)),
    h("p", { className: "muted" }, `${e.category} · ${e.actor} · ${e.source}`, e.rulesetVersion ? ` · ${e.rulesetVersion}` : "", " ",
      external(e.temporalUiUrl, L("peristiwa di Temporal", "event in Temporal"))),
    e.reasons.length ? h("ul", {}, e.reasons.map((r) => h("li", {}, r))) : null)));
}

function actionForm(caseId, refresh) {
  const action = h("select", { name: "action" }, Object.keys(ACTIONS).map((a) => h("option", { value: a }, a)));
  const code = h("select", { name: "reasonCode" }, REASONS.map((r) => h("option", { value: r }, r)));
  const reason = h("input", { name: "reason" });
  const params = h("div", { className: "filters" });
  const out = h("div", { id: "action-result" });
  function drawParams() {
    replace(params, ACTIONS[action.value].map((p) => field(p, h("input", { name: `param-${p}`, dataset: { param: p } }))));
  }
  action.addEventListener("change", drawParams);
  drawParams();
  const form = h("form", { className: "stack", id: "request-action" },
    h("div", { className: "filters" }, field(L("Tindakan", "Action"), action), field(L("Kode alasan", "Reason code"), code)),
    field(L("Alasan", "Reason"), reason), params, out, h("button", { type: "submit" }, L("Ajukan tindakan", "Request action")));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const p = [...params.querySelectorAll("input")].map((i) => ({ name: i.dataset.param, value: i.value }));
    const r = (await gql(REQUEST_ACTION, { c: caseId, a: action.value, code: code.value, r: reason.value, p })).requestAction;
    if (isError(r)) return replace(out, errorBox(`${r.message} (${r.code})`));
    const text = r.needsSecondApproval
      ? L("Menunggu persetujuan supervisor (empat mata).", "Waiting for a supervisor's approval (four eyes).")
      : `${word(r.status)}: ${r.result}`;
    replace(out, h("p", { className: "ok", dataset: { status: r.status } }, text));
    announce(text);
    refresh();
  });
  return form;
}

export async function render(root, id) {
  async function draw() {
    const c = (await gql(CASE, { id })).case;
    if (isError(c)) return replace(root, errorBox(c.message));
    const a = c.application;
    replace(root,
      h("h1", {}, a.fullName, " ", h("span", { className: "badge", id: "case-stage" }, stageLabel(c.stage))),
      section(L("Ringkasan", "Summary"),
        h("dl", { className: "facts" }, [
          ["ID", c.id], ["NIK", a.nikMasked], ["KK", a.kkNumberMasked], [L("Lahir", "Born"), a.dateOfBirth],
          ["Email", a.email], [L("HP", "Phone"), a.phone],
          [L("Domisili", "Domicile"), `${a.domicile.provinceName ?? a.domicile.provinceCode}, ${a.domicile.regencyName ?? ""}`],
          [L("Langkah berikut", "Next action"), c.nextAction],
          [L("Kartu", "Card"), c.card ? `${c.card.number} (${word(c.card.status)}) ${rupiah(c.balance)}` : "—"],
          [L("Gelombang", "Waves"), c.waves.map((w) => `${w.waveId}: ${word(w.outcome)}`).join("; ") || "—"],
        ].map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)])),
        h("p", {}, external(c.temporalUiUrl, L("Buka alur kerja di Temporal Web UI", "Open the workflow in the Temporal Web UI")))),
      section(L("Keputusan", "Decisions"), h("ul", { className: "plain" }, c.decisions.map((d) => h("li", {},
        h("strong", {}, d.kind), ` ${word(d.outcome)} — ${d.summary} (${d.rulesetVersion})`,
        h("ul", {}, d.rules.map((r) => h("li", {}, `${word(r.outcome)} ${r.ruleId}: ${r.reason} [${r.source}]`))))))),
      section(L("Tindakan operator", "Operator action"), actionForm(c.id, () => {})),
      section(L("Linimasa", "Timeline"), timeline(c.timeline || [])));
  }
  await draw();
}
