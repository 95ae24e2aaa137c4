// The page a training provider's url-generate link opens (/attendance.html#<signed link>): the signed-in
// participant confirms the session with confirmAttendance, then goes back to the provider's redirect_uri.

import { gql, isError } from "./api.js";
import { session } from "./session.js";

const CONFIRM = `mutation($link: String!) { confirmAttendance(link: $link) { __typename
  ... on AttendanceConfirmed { redeemCode sequence redirectUrl } ... on Error { code message } } }`;

const link = location.hash.replace(/^#/, "");
const button = document.getElementById("confirm");
const result = document.getElementById("result");

function say(text) {
  result.textContent = text;
}

/** The redeem code the signed link names (its claims are readable; only the server can check the signature). */
function linkCode() {
  try {
    const part = link.split(".")[0];
    const json = atob(part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "="));
    return String(JSON.parse(json).code || "");
  } catch {
    return "";
  }
}

/** Sandbox test codes (PRAT-) are confirmed without a participant: nobody owns them. */
async function confirmSandbox() {
  const resp = await fetch("/api/v1/sandbox/attendance/confirm", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ link }),
  });
  const body = await resp.json();
  if (!body.success) throw new Error(body.message);
  return body.data.redirect_url;
}

if (!link) {
  say("Tautan verifikasi tidak lengkap.");
} else if (linkCode().startsWith("PRAT-")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const back = await confirmSandbox();
      say("Kode uji (sandbox) terkonfirmasi. Mengarahkan kembali ke lembaga pelatihan…");
      location.assign(back);
    } catch (err) {
      say(String(err.message || err));
      button.disabled = false;
    }
  });
} else if (!session() || session().endpoint !== "participant") {
  say("Masuk sebagai peserta di tab ini terlebih dahulu (halaman utama), lalu buka tautan ini lagi.");
} else {
  button.hidden = false;
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      const answer = (await gql(CONFIRM, { link })).confirmAttendance;
      if (isError(answer)) {
        say(answer.message);
        button.disabled = false;
        return;
      }
      say(`Kehadiran sesi ${answer.sequence} terkonfirmasi. Mengarahkan kembali ke lembaga pelatihan…`);
      location.assign(answer.redirectUrl);
    } catch (err) {
      say(String(err.message || err));
      button.disabled = false;
    }
  });
}
