"""Course quality: its typed errors and what a participant is told when a sanction touches their training."""

from __future__ import annotations

QUALITY: dict[str, tuple[str, str]] = {
    "error.COURSE_NOT_APPROVED": (
        "Pelatihan ini belum disetujui dan belum dapat dibeli.",
        "This course is not approved yet and cannot be bought.",
    ),
    "error.COURSE_SUSPENDED": (
        "Pelatihan ini sedang ditangguhkan oleh Manajemen Pelaksana; tidak dapat dibeli.",
        "This course is suspended by the programme; it cannot be bought.",
    ),
    "error.PROVIDER_SUSPENDED": (
        "Lembaga pelatihan ini sedang ditangguhkan oleh Manajemen Pelaksana; pelatihannya tidak dapat dibeli.",
        "This training provider is suspended by the programme; its courses cannot be bought.",
    ),
    "error.REVIEW_IN_PROGRESS": (
        "Versi lain pelatihan ini sedang ditinjau.",
        "Another version of this course is in review.",
    ),
    "error.REVIEW_NOT_FOUND": ("Versi pelatihan tidak ditemukan.", "No such course version."),
    "error.NOT_YOUR_LAYER": (
        "Versi ini tidak sedang menunggu tinjauan Anda.",
        "This version is not waiting for your review.",
    ),
    "error.CONFLICT_OF_INTEREST": (
        "Lembaga Anda memantau penyedia ini, sehingga tidak boleh menilai pelatihannya.",
        "Your body monitors this provider, so it may not assess its courses.",
    ),
    "error.BODY_NOT_FOUND": ("Lembaga penilai/pemantau tidak terdaftar.", "The quality body is not registered."),
    "error.NOT_MONITORED_BY_YOUR_BODY": (
        "Penyedia ini tidak dipantau oleh lembaga Anda.",
        "This provider is not monitored by your body.",
    ),
    "error.SAMPLE_NOT_READY": (
        "Sampel bulan ini baru dapat diundi setelah bulan berakhir.",
        "This month's sample can be drawn only after the month is over.",
    ),
    "error.SANCTION_NOT_FOUND": ("Sanksi tidak ditemukan.", "No such sanction."),
    "quality.SUBJECT.COURSE": ("pelatihannya", "course"),
    "quality.SUBJECT.PROVIDER": ("lembaga pelatihannya", "training provider"),
    "notify.SANCTION_REFUNDED": (
        "Pelatihan '{title}' dibatalkan karena {subject:code} ditangguhkan oleh Manajemen Pelaksana (hasil "
        "pemantauan mutu). Harga {price:rp} dikembalikan ke saldo Kartu Prakerja Anda; silakan pilih pelatihan lain.",
        "Your training '{title}' was cancelled because its {subject:code} was suspended by the programme (quality "
        "monitoring). Its price of {price:rp} is back on your Kartu Prakerja balance; please choose another course.",
    ),
    "notify.SANCTION_CONTINUES": (
        "Untuk pelatihan '{title}', {subject:code} ditangguhkan oleh Manajemen Pelaksana (hasil pemantauan "
        "mutu). Pelatihan yang sudah Anda mulai tetap dapat diselesaikan.",
        "For your training '{title}', the {subject:code} was suspended by the programme (quality monitoring). The "
        "training you started can still be finished.",
    ),
}
