"""SMS and e-mail bodies (``notify.<kind>``): Indonesian unless the participant chose English."""

from __future__ import annotations

NOTIFICATIONS: dict[str, tuple[str, str]] = {
    "notify.ENROLLED": (
        "Selamat! Kartu Prakerja {card} aktif dengan saldo {balance:rp}. Beli pelatihan pertama sebelum {deadline:dt}.",
        "Congratulations! Kartu Prakerja {card} is active with a balance of {balance:rp}. Buy your first training "
        "before {deadline:dt}.",
    ),
    "notify.PURCHASE_REMINDER": (
        "Pengingat: beli pelatihan pertama sebelum {deadline:dt}, atau kepesertaan Kartu Prakerja dicabut.",
        "Reminder: buy your first training before {deadline:dt}, or your Kartu Prakerja membership is revoked.",
    ),
    "notify.CARD_REVOKED": (
        "Kepesertaan Kartu Prakerja Anda dicabut: tidak ada pembelian pelatihan pertama sebelum batas waktu. "
        "Sisa saldo {forfeited:rp} dikembalikan ke kas negara.",
        "Your Kartu Prakerja membership was revoked: no first training was bought before the deadline. "
        "The remaining {forfeited:rp} returned to the state treasury.",
    ),
    "notify.PURCHASE_OTP": (
        "Kode OTP {otp} untuk membeli '{title}' seharga {price:rp}. Jangan berikan kode ini ke siapa pun.",
        "OTP {otp} to buy '{title}' for {price:rp}. Do not give this code to anyone.",
    ),
    "notify.PURCHASE_OTP.HIDDEN": ("Kode OTP dikirim ke ponsel Anda.", "An OTP was sent to your phone."),
    "notify.PURCHASED": (
        "Pembelian '{title}' berhasil. Kode redeem: {code}.",
        "Purchase of '{title}' succeeded. Redeem code: {code}.",
    ),
    "notify.CERTIFICATE": ("Sertifikat '{title}' terbit: {serial}.", "Certificate for '{title}' issued: {serial}."),
    "notify.INCENTIVES_SCHEDULED": (
        "Jadwal insentif Anda sudah terbit. Insentif pertama {amount:rp} dijadwalkan {due:date}.",
        "Your incentive schedule is out. The first incentive of {amount:rp} is scheduled for {due:date}.",
    ),
    "notify.INCENTIVE_PAID.JOB_SEARCH": (
        "Insentif pencarian kerja {amount:rp} telah ditransfer ke rekening {account}.",
        "Job-search incentive of {amount:rp} was transferred to account {account}.",
    ),
    "notify.INCENTIVE_PAID.SURVEY": (
        "Insentif survei {amount:rp} telah ditransfer ke rekening {account}.",
        "Survey incentive of {amount:rp} was transferred to account {account}.",
    ),
    "notify.INCENTIVE_PENDING.JOB_SEARCH": (
        "Insentif pencarian kerja {amount:rp} sedang diproses oleh bank/e-wallet Anda; kami kabari setelah masuk.",
        "Your job-search incentive of {amount:rp} is being processed by your bank or e-wallet; we will tell you "
        "once it arrives.",
    ),
    "notify.INCENTIVE_PENDING.SURVEY": (
        "Insentif survei {amount:rp} sedang diproses oleh bank/e-wallet Anda; kami kabari setelah masuk.",
        "Your survey incentive of {amount:rp} is being processed by your bank or e-wallet; we will tell you once "
        "it arrives.",
    ),
    "notify.PAYOUT_FAILED": (
        "Insentif {amount:rp} gagal dicairkan: {reason:code}. Putuskan rekening lalu hubungkan rekening/e-wallet "
        "atas nama dan NIK Anda sendiri; insentif akan ditransfer ulang otomatis.",
        "The incentive of {amount:rp} could not be paid: {reason:code}. Unlink the account, then link a bank or "
        "e-wallet account in your own name and NIK; the incentive is transferred again automatically.",
    ),
    "notify.SURVEY_OPEN": (
        "Survei evaluasi Kartu Prakerja sudah tersedia di dasbor Anda. Isi sebelum {due:dt} untuk menerima "
        "insentif survei.",
        "The Kartu Prakerja evaluation survey is on your dashboard. Answer it before {due:dt} to receive the "
        "survey incentive.",
    ),
    "notify.CLAWBACK": (
        "Hasil audit: Anda tidak memenuhi syarat ({reason:code}). Sesuai Perpres 76/2020 pasal 31C, kembalikan "
        "{amount:rp} (bantuan pelatihan dan insentif) ke kas negara sebelum {due:date}.",
        "Audit result: you are not eligible ({reason:code}). Under Perpres 76/2020 art. 31C, repay {amount:rp} "
        "(training aid and incentives) to the state treasury by {due:date}.",
    ),
}
