"""Typed errors (``error.<ErrorCode>``) and application field problems (``field.<code>``)."""

from __future__ import annotations

ERRORS: dict[str, tuple[str, str]] = {
    "error.UNAUTHENTICATED": ("Silakan masuk terlebih dahulu.", "Sign in: a bearer token is required."),
    "error.FORBIDDEN": ("Peran Anda tidak diizinkan melakukan ini.", "Your role does not allow this."),
    "error.INVALID_APPLICATION": (
        "Pendaftaran belum dapat dicatat; periksa isian yang ditandai.",
        "The application has problems; nothing was recorded.",
    ),
    "error.ALREADY_APPLIED": (
        "NIK ini sudah memiliki pendaftaran; satu NIK hanya boleh mendaftar sekali.",
        "This NIK already has a case; one case per NIK, ever.",
    ),
    "error.ACCOUNT_HAS_CASE": (
        "Akun ini sudah terdaftar dengan NIK lain.",
        "This account already has a case for another NIK.",
    ),
    "error.CASE_NOT_FOUND": ("Anda belum mendaftar.", "You have not applied yet."),
    "error.INVALID_CURSOR": ("Penanda halaman tidak valid.", "The page cursor is not valid."),
    "error.INVALID_ARGUMENT": ("Isian tidak valid atau di luar batas.", "An argument is out of range or malformed."),
    "error.TEMPORARILY_UNAVAILABLE": (
        "Layanan sedang tidak tersedia. Coba lagi sebentar lagi dengan permintaan yang sama.",
        "The service is temporarily unavailable. Retry with the same request ID.",
    ),
    "error.NOT_ELIGIBLE": (
        "Anda tidak memenuhi syarat, sehingga langkah ini tertutup.",
        "The case is not eligible, so this step is closed.",
    ),
    "error.ABILITY_TEST_PASSED": ("Tes kemampuan dasar sudah lulus.", "The basic-ability test was already passed."),
    "error.NO_ATTEMPTS_LEFT": (
        "Kesempatan tes kemampuan dasar sudah habis.",
        "Every attempt at the basic-ability test was used.",
    ),
    "error.NO_TEST_IN_PROGRESS": (
        "Tidak ada tes yang sedang berlangsung dengan nomor itu.",
        "There is no test attempt in progress with that number.",
    ),
    "error.ABILITY_TEST_EXPIRED": (
        "Waktu tes sudah habis; jawaban tidak dicatat.",
        "The attempt's time is over; the answers were not recorded.",
    ),
    "error.TEST_NOT_PASSED": (
        "Anda harus lulus tes kemampuan dasar terlebih dahulu.",
        "You must pass the basic-ability test first.",
    ),
    "error.ALREADY_IN_WAVE": (
        "Anda sudah bergabung dalam gelombang (satu gelombang sekaligus).",
        "You are already in a wave (one at a time).",
    ),
    "error.ALREADY_SELECTED": ("Anda sudah lolos seleksi.", "You were already selected."),
    "error.WAVE_NOT_FOUND": ("Gelombang tidak ditemukan.", "There is no such wave."),
    "error.WAVE_NOT_OPEN": ("Gelombang ini tidak sedang dibuka.", "This wave is not open for joining."),
    "error.WRONG_PROVINCE": (
        "Gelombang ini tidak memiliki kuota untuk provinsi domisili Anda.",
        "This wave has no places for your domicile province.",
    ),
    "error.WAVE_EXISTS": ("Gelombang dengan kode itu sudah ada.", "A wave with that ID already exists."),
    "error.INVALID_WAVE": ("Data gelombang tidak valid.", "The wave's data is not valid."),
    "error.WAVE_NOT_CLOSED": (
        "Gelombang ini belum ditutup: daftar pesertanya belum final.",
        "This wave is not closed yet: its joiners are not final.",
    ),
    "error.SEED_NOT_REVEALED": (
        "Undian gelombang ini belum dijalankan: seed-nya belum dibuka.",
        "This wave's lottery has not run yet: its seed is not revealed.",
    ),
    "error.WHAT_IF_NOT_FOUND": ("Simulasi tidak ditemukan.", "There is no such what-if."),
    "error.CARD_NOT_FOUND": ("Kartu Prakerja tidak ditemukan.", "No Kartu Prakerja with that number."),
    "error.CARD_INACTIVE": ("Kartu Prakerja tidak aktif.", "The Kartu Prakerja is not active."),
    "error.PURCHASE_DEADLINE_PASSED": (
        "Batas waktu pembelian pelatihan pertama sudah lewat.",
        "The deadline for the first purchase has passed.",
    ),
    "error.TRAINING_UNFINISHED": (
        "Selesaikan pelatihan yang sedang berjalan terlebih dahulu.",
        "Finish the training in progress first.",
    ),
    "error.INSUFFICIENT_BALANCE": ("Saldo pelatihan tidak cukup.", "The training balance is not enough."),
    "error.COURSE_NOT_FOUND": ("Pelatihan tidak ditemukan.", "No such course."),
    "error.PRICE_MISMATCH": ("Harga pelatihan tidak sesuai.", "The price does not match the course."),
    "error.OTP_INVALID": ("Kode OTP salah atau kedaluwarsa.", "The OTP is wrong or expired."),
    "error.OTP_ATTEMPTS_EXCEEDED": (
        "Kode OTP salah terlalu sering; minta kode baru.",
        "Too many wrong OTP codes; request a new one.",
    ),
    "error.OTP_RATE_LIMITED": (
        "Terlalu banyak permintaan OTP; coba lagi nanti.",
        "Too many OTP requests; try again later.",
    ),
    "error.PURCHASE_NOT_FOUND": (
        "Tidak ada pembelian dengan kunci itu dari platform Anda.",
        "You have no purchase under that key.",
    ),
    "error.SCHEDULE_FULL": (
        "Jadwal pelatihan ini sudah penuh; pilih jadwal lain.",
        "This training schedule is full; choose another schedule.",
    ),
    "error.IDEMPOTENCY_KEY_REUSED": (
        "Kunci permintaan ini sudah dipakai untuk permintaan lain.",
        "This request key was used for another request.",
    ),
    "error.NOT_YOUR_PURCHASE": ("Pembelian ini bukan milik Anda.", "This purchase is not yours."),
    "error.INVALID_TRAINING_STATE": (
        "Langkah ini tidak sesuai dengan status pelatihan.",
        "This step does not fit the training's state.",
    ),
    "error.PARTNER_EXISTS": ("Mitra itu sudah terdaftar.", "That partner is already registered."),
    "error.INVALID_COURSE": ("Data pelatihan tidak valid.", "The course's data is not valid."),
    "error.REDEEM_CODE_NOT_FOUND": ("Kode redeem tidak ditemukan.", "The redeem code does not exist."),
    "error.TRAINING_TYPE_MISMATCH": ("Jenis pelatihan tidak sesuai.", "The training type does not match."),
    "error.CODE_OF_OTHER_PROVIDER": (
        "Kode redeem milik lembaga pelatihan lain.",
        "The redeem code belongs to another provider.",
    ),
    "error.CODE_CANCELLED": ("Kode redeem sudah dibatalkan.", "The redeem code was cancelled."),
    "error.TRANSACTION_CANCELLED": ("Transaksi sudah dibatalkan.", "The transaction was cancelled."),
    "error.CODE_ALREADY_USED": ("Kode redeem sudah digunakan.", "The redeem code was already used."),
    "error.OUTSIDE_REDEEM_WINDOW": (
        "Di luar jadwal penukaran kode redeem.",
        "Outside the window for redeeming the code.",
    ),
    "error.INVALID_SEQUENCE": ("Urutan sesi tidak valid.", "The session sequence is not valid."),
    "error.NOT_ENROLLED": ("Anda belum menerima Kartu Prakerja.", "You are not enrolled."),
    "error.ACCOUNT_NOT_FOUND": (
        "Rekening atau e-wallet tidak ditemukan di mitra pembayaran.",
        "The payment partner does not know that account.",
    ),
    "error.NIK_MISMATCH": ("Rekening itu bukan atas NIK Anda.", "That account is not registered under your NIK."),
    "error.KYC_NOT_VERIFIED": (
        "Rekening belum terverifikasi (KYC/premium).",
        "The account is not KYC-verified (premium).",
    ),
    "error.ACCOUNT_CLOSED": ("Rekening sudah ditutup.", "The account is closed."),
    "error.ACCOUNT_ALREADY_LINKED": (
        "Sudah ada rekening yang terhubung; putuskan dulu.",
        "An account is already linked; unlink it first.",
    ),
    "error.NO_ACCOUNT_LINKED": ("Belum ada rekening yang terhubung.", "No account is linked."),
    "error.PAYOUT_IN_PROGRESS": (
        "Pencairan insentif sedang diproses; coba lagi setelah selesai.",
        "A payout is in progress; try again after it.",
    ),
    "error.UNLINK_FIRST": ("Putuskan rekening pencairan terlebih dahulu.", "Unlink your payout account first."),
    "error.SURVEY_NOT_FOUND": ("Survei tidak ditemukan.", "No such survey."),
    "error.SURVEY_NOT_OPEN": ("Survei belum dibuka.", "The survey is not open yet."),
    "error.SURVEY_CLOSED": ("Survei sudah ditutup.", "The survey is closed."),
    "error.PAYMENT_PARTNER_UNAVAILABLE": (
        "Mitra pembayaran sedang tidak tersedia; coba lagi nanti.",
        "The payment partner is unavailable; try later.",
    ),
    "error.TRANSFER_NOT_FOUND": (
        "Transfer dengan kunci ini tidak ditemukan untuk mitra Anda.",
        "No transfer of yours has this key.",
    ),
    "error.CLAWBACK_ACTIVE": (
        "Ada pengembalian dana yang sedang berjalan untuk kasus ini.",
        "A clawback is active for this case.",
    ),
    "error.NO_RECEIVABLE": ("Tidak ada tagihan pengembalian.", "There is nothing to repay."),
    "error.OVERPAYMENT": ("Jumlah melebihi sisa tagihan.", "The amount exceeds what is outstanding."),
    "error.ACTION_NOT_APPLICABLE": ("Tindakan ini tidak berlaku untuk kasus ini.", "This action does not apply."),
    "error.FOUR_EYES_REQUIRED": (
        "Perlu persetujuan petugas lain (empat mata).",
        "Another staff member must approve (four eyes).",
    ),
    "error.REQUEST_NOT_FOUND": ("Permintaan tidak ditemukan.", "No such request."),
}

FIELDS: dict[str, tuple[str, str]] = {
    "field.EMAIL_FORMAT": ("Masukkan alamat e-mail yang valid.", "Enter a valid email address."),
    "field.PHONE_FORMAT": ("Masukkan nomor ponsel Indonesia (08…).", "Enter an Indonesian mobile number (08…)."),
    "field.NAME_LENGTH": ("Nama lengkap harus 3 sampai 120 karakter.", "Full name must be 3 to 120 characters."),
    "field.DOB_FUTURE": ("Tanggal lahir tidak boleh di masa depan.", "Date of birth cannot be in the future."),
    "field.AGE_OUT_OF_RANGE": ("Usia Anda di luar batas usia skema ini.", "Your age is outside this scheme's limits."),
    "field.INTEREST_LENGTH": (
        "Tuliskan minat pelatihan Anda (2–200 karakter).",
        "Describe your training interest (2–200 characters).",
    ),
    "field.CONSENT_REQUIRED": (
        "Anda harus menyetujui syarat dan ketentuan untuk mendaftar.",
        "You must agree to the terms to apply.",
    ),
    "field.STREET_LENGTH": ("Alamat jalan harus 3–300 karakter.", "Street address must be 3–300 characters."),
    "field.PROVINCE_UNKNOWN": ("Kode provinsi tidak dikenal.", "Unknown province code."),
    "field.REGENCY_UNKNOWN": (
        "Kode kabupaten/kota tidak dikenal untuk provinsi itu.",
        "Unknown regency code for that province.",
    ),
    "field.NIK_FORMAT": ("NIK harus tepat 16 digit.", "NIK must be exactly 16 digits."),
    "field.NIK_PROVINCE": (
        "Kode provinsi pada NIK tidak dikenal.",
        "The NIK's province code is not a known Indonesian province.",
    ),
    "field.NIK_WILAYAH": (
        "Kode kabupaten dan kecamatan pada NIK tidak boleh 00.",
        "The NIK's regency and district codes must not be 00.",
    ),
    "field.NIK_SERIAL": ("Nomor urut pada NIK tidak boleh 0000.", "The NIK's serial number must not be 0000."),
    "field.NIK_BIRTHDATE_MISMATCH": (
        "Tanggal lahir pada NIK tidak sama dengan tanggal lahir yang diisi.",
        "The birth date encoded in the NIK does not match the date of birth given.",
    ),
    "field.NIK_SEX_MISMATCH": (
        "Jenis kelamin pada NIK tidak sama dengan yang diisi.",
        "The sex encoded in the NIK does not match the sex given.",
    ),
    "field.KK_FORMAT": ("Nomor KK harus tepat 16 digit.", "KK number must be exactly 16 digits."),
    "field.KK_AREA": (
        "Nomor KK tidak diawali kode wilayah yang dikenal.",
        "The KK number does not start with a known area code.",
    ),
    "field.INVALID": ("Isian ini tidak valid.", "This field is not valid."),
}
