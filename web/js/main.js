// The shell: language toggle, sign-out, navigation by role, and a hash router over the views.

import { h, replace } from "./dom.js";
import { L, lang, setLang } from "./i18n.js";
import { session, signOut } from "./session.js";

const PARTICIPANT_NAV = [
  ["#/me", () => L("Beranda", "Home")],
  ["#/me/test", () => L("Tes", "Test")],
  ["#/me/money", () => L("Kartu & Insentif", "Card & incentives")],
  ["#/me/jobs", () => L("Lowongan", "Jobs")],
  ["#/me/inbox", () => L("Pesan & Pengaduan", "Messages & complaints")],
];
const STAFF_NAV = [
  ["#/staff/funnel", () => L("Corong", "Funnel")],
  ["#/staff/waves", () => L("Gelombang", "Waves")],
  ["#/staff/cases", () => L("Kasus", "Cases")],
  ["#/staff/actions", () => L("Persetujuan", "Approvals")],
  ["#/staff/complaints", () => L("Pengaduan", "Complaints")],
  ["#/staff/discrepancies", () => L("Rekonsiliasi", "Reconciliation")],
];

const VIEWS = {
  "signin": () => import("./signin.js"),
  "dev/inbox": () => import("./dev/inbox.js"),
  "me": () => import("./participant/dashboard.js"),
  "me/test": () => import("./participant/ability_test.js"),
  "me/money": () => import("./participant/money.js"),
  "me/jobs": () => import("./participant/jobs.js"),
  "me/inbox": () => import("./participant/inbox.js"),
  "staff/funnel": () => import("./staff/funnel.js"),
  "staff/waves": () => import("./staff/waves.js"),
  "staff/cases": () => import("./staff/cases.js"),
  "staff/case": () => import("./staff/case_page.js"),
  "staff/actions": () => import("./staff/actions.js"),
  "staff/complaints": () => import("./staff/complaints.js"),
  "staff/discrepancies": () => import("./staff/discrepancies.js"),
};

let cleanup = null;
let navigation = 0;

function home() {
  const s = session();
  if (!s) return "#/signin";
  return s.endpoint === "staff" ? "#/staff/funnel" : "#/me";
}

function parse() {
  const path = location.hash.replace(/^#\/?/, "");
  if (path.startsWith("staff/case/")) return ["staff/case", decodeURIComponent(path.slice("staff/case/".length))];
  return [path, null];
}

function renderChrome(current) {
  const s = session();
  document.getElementById("lang").textContent = lang() === "en" ? "Bahasa Indonesia" : "English";
  document.getElementById("lang").setAttribute("lang", lang() === "en" ? "id" : "en");
  const out = document.getElementById("signout");
  out.hidden = !s;
  out.textContent = L("Keluar", "Sign out");
  document.getElementById("brand").textContent = s?.endpoint === "staff" ? L("Konsol Staf Prakerja", "Prakerja staff console") : "Prakerja";
  const items = !s ? [] : s.endpoint === "staff" ? STAFF_NAV : PARTICIPANT_NAV;
  const nav = document.getElementById("nav");
  nav.setAttribute("aria-label", L("Menu utama", "Main menu"));
  replace(nav, h("ul", {}, items.map(([href, label]) =>
    h("li", {}, h("a", { href, "aria-current": href === "#/" + current ? "page" : undefined }, label())))));
  document.querySelector(".skip").textContent = L("Lewati ke konten", "Skip to content");
}

async function route() {
  const [path, param] = parse();
  const s = session();
  const allowed = path === "signin" || path === "dev/inbox" || (s && (path.startsWith("staff") ? s.endpoint === "staff" : path.startsWith("me") && s.endpoint === "participant"));
  if (!VIEWS[path] || !allowed) {
    location.replace(home());
    return;
  }
  if (cleanup) cleanup();
  cleanup = null;
  renderChrome(path);
  // Each navigation renders into its own container: a slower earlier view that finishes later writes into a
  // detached element instead of over the page the user moved on to, and its live subscription is closed.
  const mine = ++navigation;
  const root = h("div", {});
  replace(document.getElementById("app"), root);
  replace(root, h("p", { className: "muted" }, L("Memuat…", "Loading…")));
  const view = await VIEWS[path]();
  const done = (await view.render(root, param)) || null;
  if (mine !== navigation) {
    if (done) done();
    return;
  }
  cleanup = done;
}

document.getElementById("lang").addEventListener("click", () => {
  setLang(lang() === "en" ? "id" : "en");
  route();
});
document.getElementById("signout").addEventListener("click", () => {
  signOut();
  location.hash = "#/signin";
});
window.addEventListener("hashchange", route);
setLang(lang());
route();
