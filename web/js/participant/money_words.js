// The money page's codes as the participant reads them: training status and mode, incentive kind, ledger entry.
// Bahasa Indonesia first, English on request (i18n.js); an unknown code shows as sent.

import { L } from "../i18n.js";

const MONEY_WORDS = {
  PURCHASED: ["Sudah dibeli", "Purchased"],
  IN_TRAINING: ["Sedang berlangsung", "In training"],
  COMPLETION_REPORTED: ["Selesai, menunggu konfirmasi platform", "Completion reported"],
  VERIFYING: ["Sedang diverifikasi", "Being verified"],
  CERTIFIED: ["Bersertifikat", "Certified"],
  NOT_CERTIFIED: ["Tidak bersertifikat", "Not certified"],
  CANCELLED: ["Dibatalkan", "Cancelled"],
  WEBINAR: ["Webinar", "Webinar"],
  SELF_PACED: ["Belajar mandiri", "Self-paced"],
  OFFLINE: ["Luring", "Offline"],
  JOB_SEARCH: ["Insentif pencarian kerja", "Job-search incentive"],
  SURVEY: ["Insentif survei", "Survey incentive"],
  CREDIT: ["Saldo masuk", "Credit"],
  DEBIT: ["Pembelian", "Purchase"],
  REFUND: ["Pengembalian", "Refund"],
  FORFEIT: ["Saldo hangus", "Forfeited"],
};

export function moneyWord(code) {
  const pair = MONEY_WORDS[code];
  return pair ? L(pair[0], pair[1]) : code ?? "—";
}
