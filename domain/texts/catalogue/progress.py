"""The participant's next action (``next.<situation>``): the dashboard's headline."""

from __future__ import annotations

NEXT: dict[str, tuple[str, str]] = {
    "next.STARTED": ("Kirim pendaftaran Anda.", "Submit your application."),
    "next.INELIGIBLE": (
        "Anda tidak memenuhi syarat; lihat alasannya. Untuk kesalahan data NIK/KK hubungi Dukcapil (1500-538).",
        "You are not eligible; see the reasons. For NIK/KK data errors contact Dukcapil (1500-538).",
    ),
    "next.CLOSED": ("Kasus ini sudah selesai.", "This case is closed."),
    "next.TEST_IN_PROGRESS": (
        "Selesaikan tes kemampuan dasar sebelum batas waktunya.",
        "Finish your basic-ability test before its deadline.",
    ),
    "next.NO_ATTEMPTS_LEFT": (
        "Kesempatan tes kemampuan dasar sudah habis; Anda tidak dapat bergabung dengan gelombang.",
        "You used every attempt at the basic-ability test; you cannot join a wave.",
    ),
    "next.TAKE_TEST": (
        "Ikuti tes kemampuan dasar ({questions} soal, {duration:dur}; sisa {left} kesempatan).",
        "Take the basic-ability test ({questions} questions, {duration:dur}; {left} attempt(s) left).",
    ),
    "next.TAKE_TEST_WHILE_VALIDATING": (
        "Sambil data Anda diverifikasi, ikuti tes kemampuan dasar ({questions} soal, {duration:dur}; "
        "sisa {left} kesempatan).",
        "While we check your data, take the basic-ability test ({questions} questions, {duration:dur}; "
        "{left} attempt(s) left).",
    ),
    "next.VALIDATING": (
        "Tes lulus. Data Anda sedang dicocokkan dengan data instansi pemerintah; tidak perlu melakukan apa pun.",
        "Test passed. We are checking your data with government registries; no action needed.",
    ),
    "next.IN_WAVE": (
        "Anda sudah bergabung dalam gelombang. Undian dilakukan saat gelombang ditutup; hasilnya diumumkan di sini "
        "dan lewat SMS.",
        "You joined a wave. The lottery runs when it closes; you will be told the result here and by SMS.",
    ),
    "next.SELECTED": (
        "Selamat, Anda lolos! Kartu Prakerja dan saldo pelatihan Anda sedang disiapkan.",
        "Selected! Your Kartu Prakerja and training balance are being prepared.",
    ),
    "next.JOIN_WAVE": (
        "Anda memenuhi syarat dan lulus tes. Bergabunglah dengan gelombang yang dibuka untuk provinsi Anda.",
        "You are eligible and passed the test. Join an open wave for your province.",
    ),
    "next.REVOKED": (
        "Kepesertaan Anda dicabut; lihat alasannya pada keputusan.",
        "Your membership was revoked; see the decision for the reason.",
    ),
    "next.FIRST_PURCHASE": (
        "Kartu Prakerja {card} Anda aktif dengan saldo {balance:rp}. Beli pelatihan pertama di platform digital "
        "sebelum {deadline:dt}, atau kepesertaan Anda dicabut.",
        "Your Kartu Prakerja {card} is active with {balance:rp}. Buy your first training on a digital platform "
        "before {deadline:dt}, or your membership is revoked.",
    ),
    "next.TRAINING_FINISHED_BALANCE": (
        "Pelatihan selesai. Anda dapat membeli pelatihan lain dengan sisa saldo {balance:rp}.",
        "Training finished. You can buy another training with your remaining {balance:rp}.",
    ),
    "next.TRAINING_FINISHED": ("Pelatihan selesai.", "Training finished."),
    "next.TRAINING.PURCHASED": (
        "Tukarkan kode redeem {code} di lembaga pelatihan untuk memulai '{title}'.",
        "Redeem your code {code} at the provider to start '{title}'.",
    ),
    "next.TRAINING.IN_TRAINING": (
        "Ikuti setiap sesi '{title}' dan selesaikan tugasnya.",
        "Attend every session of '{title}' and finish its tasks.",
    ),
    "next.TRAINING.COMPLETION_REPORTED": (
        "Lembaga pelatihan melaporkan Anda telah menyelesaikan '{title}'; platform sedang mengonfirmasi.",
        "The provider reported you completed '{title}'; the platform confirms.",
    ),
    "next.TRAINING.VERIFYING": (
        "Penyelesaian '{title}' sedang diverifikasi; sertifikat menyusul.",
        "Your completion of '{title}' is being verified; the certificate follows.",
    ),
    "next.ALSO_BUY": (
        "Anda juga dapat membeli pelatihan lain dengan sisa saldo {balance:rp}.",
        "You can also buy another training with your remaining {balance:rp}.",
    ),
    "next.PAYOUT.PREREQUISITES": (
        "Untuk menerima insentif: {missing:codes}.",
        "To receive your incentives: {missing:codes}.",
    ),
    "next.PAYOUT.FAILED": (
        "Insentif gagal dicairkan: {reason:code}. Putuskan rekening lalu hubungkan rekening bank atau e-wallet atas "
        "nama Anda sendiri; pencairan diulang otomatis.",
        "Payout failed: {reason:code}. Unlink your account and link a bank or e-wallet account in your own name; "
        "the payout is retried automatically.",
    ),
    "next.PAYOUT.TRANSFER_PENDING": (
        "Insentif {amount:rp} sedang ditransfer; bank/e-wallet Anda sedang memprosesnya. "
        "Tidak perlu melakukan apa pun.",
        "Your incentive of {amount:rp} is on its way; your bank or e-wallet is processing the transfer. "
        "Nothing to do.",
    ),
    "next.PAYOUT.LINK_TO_RECEIVE": (
        "Ada insentif yang siap dibayar: hubungkan rekening bank atau e-wallet atas nama Anda sendiri.",
        "An incentive is due: link a bank or e-wallet account in your own name to receive it.",
    ),
    "next.PAYOUT.SURVEY": (
        "Isi survei {number} sebelum {due:dt} untuk menerima {amount:rp}.",
        "Answer survey {number} before {due:dt} to receive {amount:rp}.",
    ),
    "next.PAYOUT.NEXT_SURVEY": (
        "Insentif berikutnya: survei dibuka pada {due:date}.",
        "Next incentive: the survey opens on {due:date}.",
    ),
    "next.PAYOUT.NEXT_PAYMENT": (
        "Insentif berikutnya: {amount:rp} dibayarkan pada {due:date}.",
        "Next incentive: {amount:rp} is paid on {due:date}.",
    ),
    "next.PAYOUT.COMPLETE": (
        "Insentif Anda sudah lengkap: {paid:rp} telah dibayarkan. Lihat rekomendasi lowongan kerja Anda.",
        "Your incentives are complete: {paid:rp} paid. See your job recommendations.",
    ),
    "prereq.CERTIFICATE": (
        "selesaikan pelatihan pertama dan dapatkan sertifikatnya",
        "finish your first training and receive its certificate",
    ),
    "prereq.RATING": (
        "beri nilai dan ulasan untuk pelatihan pertama yang sudah selesai",
        "rate and review your first completed training",
    ),
    "prereq.ACCOUNT": (
        "hubungkan rekening bank atau e-wallet atas nama Anda sendiri (NIK sama, terverifikasi KYC)",
        "link a bank or e-wallet account in your own name (same NIK, KYC-verified)",
    ),
    "next.CLAWBACK.REPAID": (
        "Dana yang ditagih setelah audit sudah dikembalikan sepenuhnya; kasus ini selesai.",
        "The amount reclaimed after the audit is repaid in full; this case is closed.",
    ),
    "next.CLAWBACK.CALCULATING": (
        "Setelah audit, Anda dinyatakan tidak memenuhi syarat; jumlah yang harus dikembalikan sedang dihitung.",
        "Your case was found ineligible after an audit; the amount to repay is being calculated.",
    ),
    "next.CLAWBACK.ESCALATED": (
        "{amount:rp} belum dikembalikan hingga {due:date}; penagihan diserahkan ke instansi yang berwenang.",
        "{amount:rp} was not repaid by {due:date}; the case was handed over for recovery.",
    ),
    "next.CLAWBACK.DUE": (
        "Setelah audit, Anda dinyatakan tidak memenuhi syarat: kembalikan {amount:rp} ke kas negara "
        "sebelum {due:date}.",
        "Found ineligible after an audit: repay {amount:rp} to the state treasury by {due:date}.",
    ),
    "training.CERTIFIED.SESSIONS": (
        "Tersertifikasi: seluruh {count} sesi diikuti; penyelesaian dilaporkan dan dikonfirmasi.",
        "Certified: all {count} session(s) attended; completion reported and confirmed.",
    ),
    "training.CERTIFIED.SELF_PACED": (
        "Tersertifikasi: pelatihan mandiri selesai; penyelesaian dilaporkan dan dikonfirmasi.",
        "Certified: self-paced training completed; completion reported and confirmed.",
    ),
    "training.NOT_CERTIFIED.MISSED": (
        "Tidak tersertifikasi: sesi {sessions} tidak diikuti (wajib hadir 100%).",
        "Not certified: session(s) {sessions} were not attended (100% needed).",
    ),
    "training.NOT_CERTIFIED.NEVER_STARTED": (
        "Tidak tersertifikasi: pelatihan mandiri tidak pernah dimulai.",
        "Not certified: the self-paced training was never started.",
    ),
    "training.CANCELLED.VOUCHER": (
        "Dibatalkan: kode voucher dibatalkan oleh program; harga pelatihan dikembalikan ke saldo.",
        "Cancelled: the programme cancelled the voucher; the price was refunded to the balance.",
    ),
    "training.CANCELLED.TRANSACTION": (
        "Dibatalkan: pembelian dibatalkan oleh platform sebelum pelatihan dimulai; harga dikembalikan ke saldo.",
        "Cancelled: the platform cancelled the purchase before the training started; the price was refunded.",
    ),
}
