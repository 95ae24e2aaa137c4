// The basic-ability test: the scheme's questions (18) against its durable timer (25 minutes; the countdown mirrors
// the server's secondsLeft; the server's deadline is what counts).

import { gql, isError } from "../api.js";
import { announce, errorBox, h, replace, section } from "../dom.js";
import { L, word } from "../i18n.js";
import { ABILITY_TEST, START_TEST, SUBMIT_TEST, TEST_LENGTH } from "./docs.js";

function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

function duration(seconds) {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return {
    id: [minutes ? `${minutes} menit` : "", rest ? `${rest} detik` : ""].filter(Boolean).join(" "),
    en: [minutes ? `${minutes} minute${minutes === 1 ? "" : "s"}` : "", rest ? `${rest} second${rest === 1 ? "" : "s"}` : ""].filter(Boolean).join(" "),
  };
}

function question(q, index) {
  const name = `q-${q.id}`;
  return h("fieldset", { className: "question", dataset: { question: q.id } },
    h("legend", {}, `${index + 1}. ${q.prompt}`),
    q.choices.map((choice, i) => {
      const id = `${name}-${i}`;
      return h("div", { className: "check" },
        h("input", { type: "radio", name, id, value: String(i), dataset: { choice: String(i) } }),
        h("label", { htmlFor: id }, choice));
    }));
}

function sheetView(root, sheet, done) {
  const deadline = Date.now() + sheet.secondsLeft * 1000;
  const timer = h("p", { className: "timer", role: "timer", "aria-live": "off", id: "countdown" }, clock(sheet.secondsLeft));
  const out = h("div");
  const form = h("form", { className: "stack", id: "test-form" },
    sheet.questions.map(question), out,
    h("button", { type: "submit", id: "test-submit" }, L("Kirim jawaban", "Submit answers")));
  const tick = setInterval(() => {
    const left = (deadline - Date.now()) / 1000;
    timer.textContent = clock(left);
    if (left <= 60) timer.classList.add("urgent");
  }, 1000);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const answers = sheet.questions
      .map((q) => ({ q, picked: form.querySelector(`input[name="q-${CSS.escape(q.id)}"]:checked`) }))
      .filter((a) => a.picked)
      .map((a) => ({ questionId: a.q.id, choice: Number(a.picked.value) }));
    const result = (await gql(SUBMIT_TEST, { input: { attempt: sheet.attempt.number, answers } })).submitAbilityTest;
    if (isError(result)) return replace(out, errorBox(result.message));
    clearInterval(tick);
    announce(word(result.status));
    replace(root, h("h1", {}, L("Hasil tes", "Test result")),
      section(L("Percobaan ", "Attempt ") + result.number,
        h("p", { id: "test-result", dataset: { status: result.status } }, h("strong", {}, word(result.status)), ` — ${result.correct}/${result.total}`),
        h("a", { className: "button", href: "#/me" }, L("Kembali ke beranda", "Back to home"))));
    done();
  });
  replace(root, h("h1", {}, L("Tes Kemampuan Dasar", "Basic-ability test")),
    h("div", { className: "sticky" }, L("Sisa waktu ", "Time left "), timer), form);
  return () => clearInterval(tick);
}

export async function render(root) {
  let cleanup = null;
  const current = (await gql(ABILITY_TEST)).abilityTest;
  if (current.__typename === "AbilityTestSheet") {
    cleanup = sheetView(root, current, () => {});
    return () => cleanup && cleanup();
  }
  const out = h("div");
  const start = h("button", { type: "button", id: "test-start" }, L("Mulai tes", "Start the test"));
  start.addEventListener("click", async () => {
    const sheet = (await gql(START_TEST)).startAbilityTest;
    if (isError(sheet)) return replace(out, errorBox(sheet.message));
    cleanup = sheetView(root, sheet, () => {});
  });
  // The scheme's real length (a compressed demo scheme runs 5 minutes, not 25).
  const test = (await gql(TEST_LENGTH)).myCase?.abilityTest ?? { questionCount: 18, durationSeconds: 1500 };
  const n = test.questionCount;
  const length = duration(test.durationSeconds);
  replace(root, h("h1", {}, L("Tes Kemampuan Dasar", "Basic-ability test")),
    section(L("Sebelum mulai", "Before you start"),
      h("p", { id: "test-length" }, L(`${n} soal dalam ${length.id}: berhitung, urutan instruksi, dan pemahaman bacaan. Boleh memakai kertas coretan.`,
        `${n} questions in ${length.en}: arithmetic, ordering instructions and reading comprehension. Scratch paper is allowed.`)),
      out, start));
  return () => cleanup && cleanup();
}
