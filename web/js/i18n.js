// Bahasa Indonesia first, English on request. Strings sit next to their use as L("…id…", "…en…");
// the shared vocabularies (stages, outcomes, statuses) are here.

const KEY = "prakerja.lang";

export function lang() {
  return localStorage.getItem(KEY) === "en" ? "en" : "id";
}

export function setLang(value) {
  localStorage.setItem(KEY, value === "en" ? "en" : "id");
  document.documentElement.lang = lang();
}

export function L(id, en) {
  return lang() === "en" ? en : id;
}

const STAGES = {
  STARTED: ["Dimulai", "Started"],
  APPLIED: ["Terdaftar", "Applied"],
  VALIDATING: ["Sedang diverifikasi", "Being verified"],
  ELIGIBLE: ["Memenuhi syarat", "Eligible"],
  IN_WAVE: ["Bergabung gelombang", "In a wave"],
  SELECTED: ["Lolos seleksi", "Selected"],
  ENROLLED: ["Kartu aktif", "Card active"],
  TRAINING: ["Pelatihan", "Training"],
  REVOKED: ["Kepesertaan dicabut", "Membership revoked"],
  INELIGIBLE: ["Tidak memenuhi syarat", "Not eligible"],
  JOB_SEARCH: ["Mencari kerja", "Job search"],
  CLAWBACK: ["Pengembalian dana", "Clawback"],
  CLOSED: ["Selesai", "Closed"],
};

export function stageLabel(stage) {
  const pair = STAGES[stage];
  return pair ? L(pair[0], pair[1]) : stage;
}

const WORDS = {
  PASS: ["Lolos", "Pass"],
  FAIL: ["Tidak lolos", "Fail"],
  PENDING: ["Menunggu", "Pending"],
  SELECTED: ["Lulus (terpilih)", "Selected"],
  NOT_SELECTED: ["Belum berhasil", "Not selected"],
  PASSED: ["Lulus", "Passed"],
  FAILED: ["Gagal", "Failed"],
  IN_PROGRESS: ["Berlangsung", "In progress"],
  EXPIRED: ["Kedaluwarsa", "Expired"],
  ACTIVE: ["Aktif", "Active"],
  REVOKED: ["Dicabut", "Revoked"],
  SCHEDULED: ["Terjadwal", "Scheduled"],
  SURVEY_OPEN: ["Survei dibuka", "Survey open"],
  PAYABLE: ["Siap dibayar", "Payable"],
  PAID: ["Sudah cair", "Paid"],
  SURVEY_EXPIRED: ["Survei kedaluwarsa", "Survey expired"],
  CANCELLED: ["Dibatalkan", "Cancelled"],
  OPEN: ["Terbuka", "Open"],
  ASSIGNED: ["Ditangani", "Assigned"],
  ANSWERED: ["Dijawab", "Answered"],
  CLOSED: ["Ditutup", "Closed"],
  SCHEDULED_WAVE: ["Terjadwal", "Scheduled"],
  ANNOUNCED: ["Diumumkan", "Announced"],
  APPROVED: ["Disetujui", "Approved"],
  EXECUTED: ["Dijalankan", "Executed"],
  REJECTED: ["Ditolak", "Rejected"],
};

export function word(value) {
  const pair = WORDS[value];
  return pair ? L(pair[0], pair[1]) : value ?? "—";
}

const STEPS = {
  REGISTERED: ["Mendaftar", "Registered"],
  VALIDATED: ["Terverifikasi", "Validated"],
  ELIGIBLE: ["Memenuhi syarat", "Eligible"],
  JOINED: ["Gabung gelombang", "Joined a wave"],
  SELECTED: ["Terpilih", "Selected"],
  ENROLLED: ["Kartu terbit", "Enrolled"],
  FIRST_PURCHASE: ["Beli pelatihan pertama", "First purchase"],
  COMPLETED: ["Sertifikat", "Completed"],
  PAID: ["Insentif cair", "Paid"],
};

export function stepLabel(step) {
  const pair = STEPS[step];
  return pair ? L(pair[0], pair[1]) : step;
}
