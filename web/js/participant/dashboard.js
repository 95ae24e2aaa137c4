// The participant's home: case status (live), every decision with its reasons, the test, wave history and
// open waves. Without a case yet, the application form.

import { gql, isError } from "../api.js";
import { announce, errorBox, h, replace, section, when } from "../dom.js";
import { L, lang, stageLabel, word } from "../i18n.js";
import { subscribe } from "../live.js";
import { applyForm } from "./apply.js";
import { JOIN_WAVE, MY_CASE, OPEN_WAVES, STATUS } from "./docs.js";

function outcomeBadge(outcome) {
  return h("span", { className: `badge badge-${String(outcome).toLowerCase()}` }, word(outcome));
}

function decisions(list) {
  if (!list.length) return h("p", { className: "muted" }, L("Belum ada keputusan.", "No decisions yet."));
  return h("ul", { className: "plain" }, list.map((d) =>
    h("li", { className: "decision" },
      h("p", {}, h("strong", {}, d.kind), " ", outcomeBadge(d.outcome), " — ", d.summary),
      h("p", { className: "muted" }, when(d.decidedAt, lang()), " · ", L("versi aturan ", "rule set "), d.rulesetVersion),
      d.rules.length ? h("details", {}, h("summary", {}, L("Alasan per aturan", "Reasons per rule")),
        h("ul", {}, d.rules.map((r) => h("li", {}, outcomeBadge(r.outcome), " ", r.ruleId, ": ", r.reason, " (", r.source, ")")))) : null)));
}

function testSummary(t) {
  const done = t.status === "PASSED";
  return section(L("Tes Kemampuan Dasar", "Basic-ability test"),
    h("p", {}, L("Status: ", "Status: "), h("strong", { id: "test-status" }, word(t.status)),
      ` · ${L("sisa kesempatan", "attempts left")}: ${t.attemptsLeft} · ${L("nilai lulus", "pass mark")}: ${t.passMark}`),
    h("ul", { className: "plain" }, t.attempts.map((a) => h("li", {}, `#${a.number} ${word(a.status)} ${a.correct ?? "–"}/${a.total}`))),
    done ? null : h("a", { className: "button", href: "#/me/test" }, L("Kerjakan tes", "Take the test")));
}

function waveHistory(waves) {
  if (!waves.length) return h("p", { className: "muted" }, L("Belum bergabung gelombang.", "Not in a wave yet."));
  return h("table", {},
    h("caption", { className: "visually-hidden" }, L("Riwayat gelombang", "Wave history")),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, L("Gelombang", "Wave")), h("th", { scope: "col" }, L("Hasil", "Result")), h("th", { scope: "col" }, L("Keterangan", "Details")))),
    h("tbody", {}, waves.map((w) => h("tr", { dataset: { wave: w.waveId } },
      h("td", {}, w.waveId), h("td", { className: "wave-outcome" }, w.outcome ? outcomeBadge(w.outcome) : L("Menunggu pengumuman", "Awaiting the result")),
      h("td", {}, w.reasonText || when(w.joinedAt, lang()))))));
}

async function openWaves(refresh) {
  const waves = (await gql(OPEN_WAVES)).openWaves;
  if (!waves.length) return h("p", { className: "muted" }, L("Tidak ada gelombang terbuka untuk provinsi Anda.", "No wave is open for your province."));
  const out = h("div");
  return h("div", {}, out, h("ul", { className: "plain" }, waves.map((w) =>
    h("li", { className: "row" }, h("span", {}, `${L("Gelombang", "Wave")} ${w.number} (${w.id}) — ${L("tutup", "closes")} ${when(w.closesAt, lang())}`),
      h("button", { type: "button", dataset: { join: w.id }, onclick: async () => {
        const r = (await gql(JOIN_WAVE, { id: w.id })).joinWave;
        if (isError(r)) return replace(out, errorBox(r.message));
        announce(L("Anda bergabung dengan gelombang ", "You joined wave ") + w.id);
        refresh();
      } }, L("Gabung", "Join"))))));
}

export async function render(root) {
  let stop = null;
  async function draw() {
    const result = (await gql(MY_CASE)).myCase;
    if (result.__typename === "NoCaseYet") {
      const config = await (await fetch("/console.json")).json();
      return replace(root, h("h1", {}, L("Daftar Kartu Prakerja", "Apply for the Kartu Prakerja")),
        applyForm(config.provinces, () => { announce(L("Pendaftaran tercatat", "Application recorded")); draw(); }));
    }
    if (isError(result)) return replace(root, errorBox(result.message));
    const c = result;
    const canJoin = c.stage === "ELIGIBLE" && c.abilityTest.status === "PASSED";
    replace(root,
      h("h1", {}, L("Halo, ", "Hello, "), c.application.fullName),
      section(L("Status", "Status"),
        h("p", { className: "stage" }, h("strong", { id: "stage", dataset: { stage: c.stage } }, stageLabel(c.stage))),
        h("p", { id: "next-action" }, c.nextAction),
        h("p", { className: "muted" }, `NIK ${c.application.nikMasked} · ${c.application.domicile.provinceName ?? c.application.domicile.provinceCode}`),
        h("p", { className: "muted", id: "live-state" })),
      section(L("Keputusan dan alasannya", "Decisions and their reasons"), decisions(c.decisions)),
      ["ELIGIBLE", "IN_WAVE"].includes(c.stage) || c.abilityTest.attempts.length ? testSummary(c.abilityTest) : null,
      section(L("Riwayat Gelombang", "Wave history"), waveHistory(c.waves)),
      canJoin ? section(L("Gelombang terbuka", "Open waves"), await openWaves(draw)) : null);
    if (!stop) {
      stop = subscribe(STATUS, {}, (event) => {
        if (event.__typename === "CaseStatusUpdate" && event.stage !== document.getElementById("stage")?.dataset.stage) draw();
      }, { onState: (state) => {
        const el = document.getElementById("live-state");
        if (el) el.textContent = state === "live" ? L("Pembaruan langsung aktif", "Live updates on") : L("Pembaruan langsung terputus", "Live updates paused");
      } });
    }
  }
  await draw();
  return () => stop && stop();
}
