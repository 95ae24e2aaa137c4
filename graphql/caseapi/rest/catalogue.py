"""The one error catalogue of the partner REST API: every refusal is ``{success: false, code, message}``.

Codes follow the official style, prefix + HTTP status + two-digit serial (``ERRPLT40036``), and the HTTP status of
an answer is the one its code carries: business and validation refusals are 400 as in every documented example;
authentication 401, replay 409, body too large 413, rate limit 429, outage 503. The three documented codes keep
their documented meaning (ERRPLT40036, ERRPLT40028, ERRVOD40001). Codes are never renamed or reused; the table is
published in docs/partner-api/errors.md (a test keeps the two equal).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.errors import ErrorCode


@dataclass(frozen=True, slots=True)
class CatalogueEntry:
    code: str
    message: str
    """Default message (Bahasa Indonesia, as the official API answers)."""
    meaning: str
    """For the published table."""

    @property
    def http(self) -> int:
        return int(self.code[-5:-2])


def _e(code: str, message: str, meaning: str) -> CatalogueEntry:
    return CatalogueEntry(code, message, meaning)


# --- transport and authentication ------------------------------------------------------------------------------
INVALID_BODY = _e(
    "ERRPLT40001", "Body permintaan tidak valid.", "The body is not a JSON object, or a field has the wrong JSON type."
)
REQUIRED_EMPTY = _e(
    "ERRPLT40036",
    "Parameter wajib tidak boleh kosong.",
    "A required field (e.g. course_code, schedule_code) is missing or empty (documented).",
)
MISSING_HEADERS = _e(
    "ERRPLT40101", "Header client_code, timestamp dan signature wajib diisi.", "A signature header is missing."
)
UNKNOWN_CLIENT = _e(
    "ERRPLT40102", "client_code tidak dikenal.", "No active partner of the endpoint's kind has this client_code."
)
STALE_TIMESTAMP = _e(
    "ERRPLT40103",
    "timestamp tidak valid atau kedaluwarsa.",
    "timestamp is not Unix seconds within 300 s of the server clock.",
)
INVALID_SIGNATURE = _e(
    "ERRPLT40104", "Signature tidak valid.", "The signature matches none of the accepted raw strings."
)
INVALID_PAYMENT_TOKEN = _e(
    "ERRPLT40105",
    "Payment token tidak valid atau kedaluwarsa.",
    "authorize: no `Payment <token>` from send-otp, an expired token, or one issued to another platform.",
)
REPLAYED = _e(
    "ERRPLT40901",
    "Permintaan ini sudah diterima; buat signature baru.",
    "The same signed request was already received.",
)
TOO_LARGE = _e("ERRPLT41301", "Body permintaan terlalu besar.", "The body exceeds 4 KiB.")
RATE_LIMITED = _e(
    "ERRPLT42901",
    "Terlalu banyak permintaan; coba lagi nanti.",
    "The partner's rate limit (50/s, bursts of 100) is exceeded; see Retry-After.",
)
UNAVAILABLE = _e(
    "ERRPLT50301", "Layanan sedang tidak tersedia; coba lagi.", "A dependency is unavailable; retry after Retry-After."
)

# --- payment (digital platforms) ----------------------------------------------------------------------------------
COURSE_NOT_FOUND = _e(
    "ERRPLT40002", "Pelatihan tidak ditemukan.", "No active course with this course_code on the calling platform."
)
SCHEDULE_NOT_FOUND = _e("ERRPLT40003", "Jadwal tidak ditemukan.", "No schedule with this schedule_code.")
SCHEDULE_MISMATCH = _e("ERRPLT40004", "Jadwal bukan milik pelatihan ini.", "The schedule belongs to another course.")
SCHEDULE_STARTED = _e("ERRPLT40005", "Pelatihan pada jadwal ini sudah dimulai.", "The schedule has already started.")
SCHEDULE_FULL = _e("ERRPLT40006", "Kuota jadwal sudah habis.", "No seats left on the schedule.")
AGE_NOT_MET = _e(
    "ERRPLT40007",
    "Usia peserta tidak memenuhi syarat pelatihan.",
    "The card holder's age is outside the course's range.",
)
EDUCATION_NOT_MET = _e(
    "ERRPLT40008",
    "Pendidikan peserta tidak memenuhi syarat pelatihan.",
    "The card holder's education is below the course's minimum.",
)
PRICE_MISMATCH = _e("ERRPLT40009", "Nominal tidak sesuai harga pelatihan.", "amount is not the course's price.")
CARD_NOT_FOUND = _e("ERRPLT40010", "Nomor Kartu Prakerja tidak ditemukan.", "No card with this prakerja_id.")
CARD_INACTIVE = _e("ERRPLT40011", "Kartu Prakerja tidak aktif.", "The card is revoked or not yet active.")
DEADLINE_PASSED = _e(
    "ERRPLT40012", "Batas waktu pembelian pelatihan sudah lewat.", "The card's first-purchase deadline passed."
)
TRAINING_UNFINISHED = _e(
    "ERRPLT40013", "Peserta masih memiliki pelatihan yang belum selesai.", "The card holder has an unfinished training."
)
INSUFFICIENT_BALANCE = _e("ERRPLT40014", "Saldo Kartu Prakerja tidak cukup.", "The balance is below the price.")
OTP_INVALID = _e("ERRPLT40015", "OTP salah atau kedaluwarsa.", "The OTP is wrong or expired; call send-otp again.")
INVOICE_REUSED = _e(
    "ERRPLT40016", "invoice_code sudah dipakai untuk transaksi lain.", "The invoice_code was used for another purchase."
)
INVOICE_NOT_FOUND = _e(
    "ERRPLT40017",
    "Transaksi dengan invoice_code ini tidak ditemukan.",
    "payment/status: no purchase of the calling platform has this invoice_code.",
)
NOT_CANCELLABLE = _e(
    "ERRPLT40018",
    "Transaksi tidak dapat dibatalkan karena pelatihan sudah dimulai.",
    "void: the training has started (a code was redeemed).",
)
ALREADY_CANCELLED = _e(
    "ERRPLT40028", "Transaksi sudah dibatalkan sebelumnya.", "void: the transaction was already cancelled (documented)."
)
TRANSACTION_NOT_FOUND = _e(
    "ERRVOD40001",
    "Kode transaksi tidak ditemukan.",
    "void: no transaction with this invoice_code and transaction_code (documented).",
)

# --- redeem codes and attendance (training providers) ----------------------------------------------------------
REDEEM_CODE_NOT_FOUND = _e("ERRPLT40020", "Kode redeem tidak ditemukan.", "No redeem code like this one.")
CODE_OF_OTHER_PROVIDER = _e(
    "ERRPLT40021", "Kode redeem milik lembaga pelatihan lain.", "The code belongs to another training provider."
)
TRAINING_TYPE_MISMATCH = _e(
    "ERRPLT40022", "Jenis pelatihan tidak sesuai.", "The declared training_type is not the course's."
)
CODE_CANCELLED = _e("ERRPLT40023", "Kode redeem sudah dibatalkan.", "The programme cancelled the code.")
TRANSACTION_CANCELLED = _e(
    "ERRPLT40024", "Transaksi pembelian sudah dibatalkan.", "The purchase behind the code was voided."
)
CODE_ALREADY_USED = _e(
    "ERRPLT40025", "Kode redeem sudah digunakan untuk sesi ini.", "The code was already used for this sequence."
)
OUTSIDE_WINDOW = _e(
    "ERRPLT40026",
    "Kode redeem hanya berlaku 1 jam sebelum hingga 1 jam setelah sesi dimulai.",
    "A webinar/offline session is redeemed from 1 h before to 1 h after its start.",
)
INVALID_SEQUENCE = _e(
    "ERRPLT40027",
    "sequence tidak valid.",
    "sequence is not 1–10 (a session of this course) or 999 (post-test, after a session).",
)
NOT_SANDBOX_CODE = _e(
    "ERRPLT40029",
    "Reset hanya untuk kode uji berawalan PRAT-.",
    "reset: only sandbox test codes (PRAT- prefix) can be reset.",
)
INVALID_REDIRECT = _e(
    "ERRPLT40030",
    "redirect_uri tidak valid.",
    "url-generate: redirect_uri is not an absolute https (or http://localhost) URL.",
)
INVALID_ATTENDANCE_LINK = _e(
    "ERRPLT40031",
    "Tautan verifikasi tidak valid atau kedaluwarsa.",
    "The attendance-verification link is forged or expired.",
)
EMAIL_USED_FOR_TRAINING = _e(
    "ERRPLT40032",
    "Email sudah digunakan untuk pelatihan ini.",
    "url-generate: the email was already used for this training by another participant (one email per training;"
    " the same email may be used for other trainings).",
)

# --- skills tasks, TPM / UK (training providers) -------------------------------------------------------------
INVALID_SCOPE = _e(
    "ERRTPM40001",
    "scope dan sequence tidak sesuai.",
    "scope is not tpm or uk, or sequence does not fit it (tpm: 1–998, uk: 999).",
)
TASK_NOT_FOUND = _e(
    "ERRTPM40002",
    "Tugas tidak ditemukan untuk kode redeem ini.",
    "The training sets no such task, or its tasks are not open yet (they open with the completion report).",
)
TASK_LAPSED = _e(
    "ERRTPM40003",
    "Batas waktu 3×24 jam tugas ini sudah lewat.",
    "submission: the task's 3×24-hour window passed; grade it as lapsed or reopen it (GraphQL reopenSkillsTask).",
)
TASK_STATE = _e(
    "ERRTPM40004",
    "Status tugas tidak memungkinkan permintaan ini.",
    "submission: already submitted and not yet graded (or passed); feedback: nothing submitted to grade.",
)
INVALID_FILE_URL = _e(
    "ERRTPM40005", "url_file tidak valid.", "url_file is not an absolute http(s) URL of at most 2000 characters."
)

# --- course quality (review and sanctions; serials from 60 so other additions keep theirs) -----------------------
COURSE_NOT_APPROVED = _e(
    "ERRPLT40060",
    "Pelatihan belum disetujui dan belum dapat dijual.",
    "The course has no approved version yet (its review by the platform, PMO and an assessor body is not done).",
)
COURSE_SUSPENDED = _e(
    "ERRPLT40061", "Pelatihan sedang ditangguhkan.", "The course is suspended by a programme sanction."
)
PROVIDER_SUSPENDED = _e(
    "ERRPLT40062", "Lembaga pelatihan sedang ditangguhkan.", "The course's provider is suspended by a sanction."
)

CATALOGUE: tuple[CatalogueEntry, ...] = tuple(v for v in dict(globals()).values() if isinstance(v, CatalogueEntry))

_BY_CODE = {entry.code: entry for entry in CATALOGUE}
_BY_DOMAIN: dict[str, CatalogueEntry] = {
    ErrorCode.INVALID_ARGUMENT: INVALID_BODY,
    ErrorCode.TEMPORARILY_UNAVAILABLE: UNAVAILABLE,
    ErrorCode.PAYMENT_PARTNER_UNAVAILABLE: UNAVAILABLE,
    ErrorCode.COURSE_NOT_FOUND: COURSE_NOT_FOUND,
    ErrorCode.COURSE_NOT_APPROVED: COURSE_NOT_APPROVED,
    ErrorCode.COURSE_SUSPENDED: COURSE_SUSPENDED,
    ErrorCode.PROVIDER_SUSPENDED: PROVIDER_SUSPENDED,
    ErrorCode.CARD_NOT_FOUND: CARD_NOT_FOUND,
    ErrorCode.CARD_INACTIVE: CARD_INACTIVE,
    ErrorCode.PURCHASE_DEADLINE_PASSED: DEADLINE_PASSED,
    ErrorCode.TRAINING_UNFINISHED: TRAINING_UNFINISHED,
    ErrorCode.INSUFFICIENT_BALANCE: INSUFFICIENT_BALANCE,
    ErrorCode.PRICE_MISMATCH: PRICE_MISMATCH,
    ErrorCode.OTP_INVALID: OTP_INVALID,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: INVOICE_REUSED,
    ErrorCode.SCHEDULE_FULL: SCHEDULE_FULL,
    ErrorCode.NOT_YOUR_PURCHASE: TRANSACTION_NOT_FOUND,
    ErrorCode.INVALID_TRAINING_STATE: NOT_CANCELLABLE,
    ErrorCode.REDEEM_CODE_NOT_FOUND: REDEEM_CODE_NOT_FOUND,
    ErrorCode.CODE_OF_OTHER_PROVIDER: CODE_OF_OTHER_PROVIDER,
    ErrorCode.TRAINING_TYPE_MISMATCH: TRAINING_TYPE_MISMATCH,
    ErrorCode.CODE_CANCELLED: CODE_CANCELLED,
    ErrorCode.TRANSACTION_CANCELLED: TRANSACTION_CANCELLED,
    ErrorCode.CODE_ALREADY_USED: CODE_ALREADY_USED,
    ErrorCode.OUTSIDE_REDEEM_WINDOW: OUTSIDE_WINDOW,
    ErrorCode.INVALID_SEQUENCE: INVALID_SEQUENCE,
    ErrorCode.SKILLS_TASK_NOT_FOUND: TASK_NOT_FOUND,
    ErrorCode.SKILLS_TASK_LAPSED: TASK_LAPSED,
    ErrorCode.SKILLS_TASK_STATE: TASK_STATE,
}


def for_domain_code(code: str) -> CatalogueEntry:
    """The entry of a refusal: a catalogue code itself, or a ``domain.errors.ErrorCode`` value (unknown: 503)."""
    return _BY_CODE.get(code) or _BY_DOMAIN.get(code, UNAVAILABLE)


def markdown_table() -> str:
    """The published table (docs/partner-api/errors.md embeds exactly this)."""
    rows = ["| HTTP | code | message | when |", "|---|---|---|---|"]
    rows += [f"| {e.http} | `{e.code}` | {e.message} | {e.meaning} |" for e in sorted(CATALOGUE, key=lambda e: e.code)]
    return "\n".join(rows) + "\n"
