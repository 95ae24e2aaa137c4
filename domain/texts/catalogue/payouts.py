"""Wave outcomes (``wave.<reason>``) and why a payout failed (``failure.<code>``)."""

from __future__ import annotations

WAVES: dict[str, tuple[str, str]] = {
    "wave.SELECTED_PRIORITY": (
        "Lolos: Anda termasuk kelompok prioritas yang diusulkan kementerian.",
        "Selected: you were in a priority cohort proposed by a ministry.",
    ),
    "wave.SELECTED_LOTTERY": (
        "Lolos melalui undian gelombang dalam kuota provinsi Anda.",
        "Selected by the wave's lottery within your province's quota.",
    ),
    "wave.SELECTED_REDISTRIBUTION": (
        "Lolos dari sisa kuota provinsi yang dialihkan secara nasional, sesuai urutan undian.",
        "Selected from the national pool of unused provincial places, in lottery order.",
    ),
    "wave.NOT_SELECTED_QUOTA": (
        "Belum lolos: kuota provinsi Anda sudah terisi melalui undian. Silakan ikut gelombang berikutnya.",
        "Not selected: your province's quota was filled by the lottery. Join a later wave.",
    ),
    "wave.NOT_SELECTED_HOUSEHOLD": (
        "Belum lolos: Kartu Keluarga (KK) Anda sudah mencapai batas jumlah penerima.",
        "Not selected: your family card (KK) already has the maximum number of recipients.",
    ),
    "wave.NOT_SELECTED_BLACKLISTED": (
        "Belum lolos: NIK ini masuk daftar hitam program.",
        "Not selected: this NIK is blacklisted from the programme.",
    ),
    "wave.NOT_SELECTED_ALREADY_RECIPIENT": (
        "Belum lolos: NIK ini sudah pernah menjadi penerima program.",
        "Not selected: this NIK is already a programme recipient.",
    ),
}

FAILURES: dict[str, tuple[str, str]] = {
    "failure.NIK_MISMATCH": ("NIK pemilik rekening bukan NIK Anda", "the account holder's NIK is not yours"),
    "failure.NAME_MISMATCH": ("nama pemilik rekening bukan nama Anda", "the account holder's name is not yours"),
    "failure.KYC_NOT_VERIFIED": (
        "rekening belum terverifikasi KYC (premium)",
        "the account is not KYC-verified (premium)",
    ),
    "failure.ACCOUNT_CLOSED": ("rekening sudah ditutup", "the account is closed"),
    "failure.ACCOUNT_NOT_FOUND": ("rekening tidak ditemukan", "the account does not exist"),
    "failure.TRANSFER_FAILED": ("transfer gagal di bank", "the transfer failed at the bank"),
    "failure.TRANSFER_UNCONFIRMED": (
        "transfer belum dapat dikonfirmasi; akan dicoba lagi sebentar lagi",
        "the transfer could not be confirmed yet; it is tried again shortly",
    ),
    "failure.OTHER": ("transfer ditolak oleh mitra pembayaran", "the payment partner refused the transfer"),
}

JOBS: dict[str, tuple[str, str]] = {
    "jobs.WAIT_NO_TRAINING": (
        "Rekomendasi lowongan kerja muncul setelah sertifikat pelatihan pertama Anda: pilih dan selesaikan "
        "pelatihan terlebih dahulu.",
        "Job recommendations start after your first training certificate: choose and finish a training first.",
    ),
    "jobs.WAIT_NOT_CERTIFIED": (
        "Rekomendasi lowongan kerja muncul setelah sertifikat pelatihan pertama Anda: Anda belum memilikinya.",
        "Job recommendations start after your first training certificate: you have none yet.",
    ),
    "jobs.NO_VACANCIES": (
        "Belum ada lowongan yang dibuka saat ini; coba lagi nanti.",
        "No open vacancies right now; check again soon.",
    ),
    "jobs.POSTED_TODAY": ("diunggah hari ini", "posted today"),
    "jobs.POSTED_YESTERDAY": ("diunggah kemarin", "posted yesterday"),
    "jobs.POSTED_DAYS": ("diunggah {days} hari lalu", "posted {days} days ago"),
    "jobs.SAME_REGENCY": ("di kabupaten/kota Anda, {name}", "in your regency {name}"),
    "jobs.SAME_PROVINCE": ("di provinsi Anda, {name}", "in your province {name}"),
    "jobs.COMPLETED": ("karena Anda menyelesaikan {title}", "because you completed {title}"),
    "jobs.APPLIED_BEFORE": ("Anda pernah melamar lowongan {category}", "you applied to {category} jobs before"),
    "jobs.NOT_INTERESTED": (
        "Anda tidak tertarik pada lowongan {category} lainnya",
        "you were not interested in another {category} job",
    ),
}
