"""Decisions (``decision.<kind>[.<variant>]``) and their rule reasons (``rule.<rule_id>[.<variant>]``), and the
names those reasons list (``edu.``, ``job.``, ``civil.``, ``audit.``)."""

from __future__ import annotations

DECISIONS: dict[str, tuple[str, str]] = {
    "decision.APPLICATION_RECORDED": (
        "Pendaftaran tercatat; verifikasi data ke instansi pemerintah menyusul.",
        "Application recorded; registry validation follows.",
    ),
    "decision.ELIGIBILITY.PASS": (
        "Memenuhi syarat: semua pemeriksaan data lolos.",
        "Eligible: every registry check passed.",
    ),
    "decision.ELIGIBILITY.FAIL": (
        "Tidak memenuhi syarat: {count} syarat tidak terpenuhi (lihat alasannya).",
        "Not eligible: {count} requirement(s) not met (see the reasons).",
    ),
    "decision.ELIGIBILITY.PENDING": (
        "Verifikasi tertunda: menunggu {pending}.",
        "Validation pending: waiting for {pending}.",
    ),
    "decision.MEMBERSHIP_REVOKED.NO_FIRST_PURCHASE": (
        "Kepesertaan dicabut: tidak ada pelatihan yang dibeli sebelum batas waktu pembelian pertama; saldo "
        "dikembalikan ke kas negara dan NIK ini tidak dapat mendaftar lagi.",
        "Membership revoked: no training was bought before the first-purchase deadline; the balance returned to the "
        "state treasury and this NIK cannot join again.",
    ),
    "decision.MEMBERSHIP_REVOKED.OPERATOR": (
        "Kepesertaan dicabut oleh petugas program: {reason}",
        "Membership revoked by programme staff: {reason}",
    ),
    "decision.MEMBERSHIP_REINSTATED": (
        "Kepesertaan dipulihkan oleh petugas program: {reason}",
        "Membership reinstated by programme staff: {reason}",
    ),
    "decision.WAVE_SELECTION": ("Gelombang {wave}: {reason:code}", "Wave {wave}: {reason:code}"),
    "decision.INCENTIVES_SCHEDULED": (
        "Insentif dijadwalkan: total {package:rp} bila semua survei diisi.",
        "Incentives scheduled: {package:rp} in total when every survey is answered.",
    ),
    "decision.INELIGIBLE_AFTER_AUDIT": (
        "Dinyatakan tidak memenuhi syarat setelah menerima bantuan: {reason:code} ({detail}). Dana yang sudah "
        "diterima wajib dikembalikan dalam 60 hari.",
        "Found ineligible after receiving aid: {reason:code} ({detail}). What was paid must be repaid within 60 days.",
    ),
}

RULES: dict[str, tuple[str, str]] = {
    "rule.NIK_STRUCTURE": (
        "NIK terdiri dari 16 digit dengan kode wilayah yang dikenal dan tanggal lahir yang valid.",
        "NIK is 16 digits with a known area code and a valid encoded birth date.",
    ),
    "rule.NIK_MATCHES_BIRTH_DATE_AND_SEX": (
        "Tanggal lahir dan jenis kelamin pada NIK sesuai dengan formulir.",
        "The NIK's encoded birth date and sex match the form.",
    ),
    "rule.KK_STRUCTURE": (
        "Nomor KK terdiri dari 16 digit dengan kode wilayah yang dikenal.",
        "KK number is 16 digits with a known area code.",
    ),
    "rule.AGE.APPLICATION": (
        "Usia sesuai batas skema pada tanggal pendaftaran.",
        "Age is within the scheme's limits on the application date.",
    ),
    "rule.CONSENT": ("Persetujuan sudah diberikan.", "Consent was given."),
    "rule.REGISTRY_AVAILABLE": (
        "Data instansi {registry} belum dapat dihubungi; dicoba ulang otomatis.",
        "Registry {registry} unavailable; retrying automatically.",
    ),
    "rule.CIVIL_REGISTRY_MATCH.NOT_FOUND": (
        "Dukcapil tidak memiliki data NIK ini. Periksa kembali, atau hubungi Dukcapil di 1500-538.",
        "Dukcapil has no record of this NIK. Check it, or call Dukcapil on 1500-538.",
    ),
    "rule.CIVIL_REGISTRY_MATCH.DECEASED": (
        "Dukcapil mencatat pemilik NIK ini telah meninggal dunia.",
        "Dukcapil records this NIK as deceased.",
    ),
    "rule.CIVIL_REGISTRY_MATCH.MISMATCH": (
        "Data Dukcapil berbeda dari formulir Anda: {fields:codes}. Perbaiki, atau hubungi Dukcapil di 1500-538.",
        "Dukcapil's data differ from your application: {fields:codes}. Correct it, or call Dukcapil on 1500-538.",
    ),
    "rule.CIVIL_REGISTRY_MATCH.PASS": (
        "NIK, nomor KK, nama, dan tanggal lahir sesuai dengan data Dukcapil.",
        "NIK, KK number, name and date of birth match Dukcapil.",
    ),
    "civil.KK_NUMBER": ("nomor KK", "KK number"),
    "civil.FULL_NAME": ("nama lengkap", "full name"),
    "civil.DATE_OF_BIRTH": ("tanggal lahir", "date of birth"),
    "rule.AGE.PASS_RANGE": (
        "Usia {age} tahun menurut Dukcapil; skema mensyaratkan usia {min} sampai {max} tahun.",
        "Age {age} by Dukcapil's date of birth; the scheme requires between {min} and {max} years old.",
    ),
    "rule.AGE.FAIL_RANGE": (
        "Usia {age} tahun menurut Dukcapil, di luar batas skema: {min} sampai {max} tahun.",
        "Age {age} by Dukcapil's date of birth; the scheme requires between {min} and {max} years old.",
    ),
    "rule.AGE.PASS_MIN": (
        "Usia {age} tahun menurut Dukcapil; skema mensyaratkan usia minimal {min} tahun.",
        "Age {age} by Dukcapil's date of birth; the scheme requires at least {min} years old.",
    ),
    "rule.AGE.FAIL_MIN": (
        "Usia {age} tahun menurut Dukcapil, di bawah usia minimal skema: {min} tahun.",
        "Age {age} by Dukcapil's date of birth; the scheme requires at least {min} years old.",
    ),
    "rule.NOT_IN_FORMAL_EDUCATION.PASS": (
        "Tidak sedang menempuh pendidikan formal.",
        "Not enrolled in formal education.",
    ),
    "rule.NOT_IN_FORMAL_EDUCATION.FAIL": (
        "Tercatat sedang menempuh pendidikan di {where:codes}. Bila sudah lulus, minta sekolah atau kampus "
        "memperbarui datanya.",
        "Registered as currently enrolled in {where:codes}. If you have graduated, ask your school or university "
        "to update it.",
    ),
    "edu.DAPODIK": ("Dapodik (sekolah)", "Dapodik (schools)"),
    "edu.PDDIKTI": ("PDDikti (perguruan tinggi)", "PDDikti (universities)"),
    "edu.EMIS": ("EMIS (madrasah)", "EMIS (madrasahs)"),
    "rule.NOT_EXCLUDED_OCCUPATION.PASS": (
        "Tidak bekerja pada pekerjaan yang dikecualikan.",
        "Not in an excluded occupation.",
    ),
    "rule.NOT_EXCLUDED_OCCUPATION.FAIL": (
        "Tercatat sebagai {jobs:codes}, yang dikecualikan dari program.",
        "Registered as {jobs:codes}, which the programme excludes.",
    ),
    "job.ASN": ("aparatur sipil negara (ASN)", "civil servant (ASN)"),
    "job.TNI": ("anggota TNI", "military (TNI)"),
    "job.POLRI": ("anggota Polri", "police (Polri)"),
    "job.DPRD": ("anggota DPRD", "regional parliament (DPRD)"),
    "job.VILLAGE_OFFICIAL": ("kepala desa atau perangkat desa", "village head or official"),
    "job.BUMN_BOARD": ("direksi/komisaris BUMN atau BUMD", "board of a state or regional enterprise"),
    "rule.NO_OTHER_SOCIAL_AID.PASS": ("Tidak menerima bantuan sosial lain.", "Not a recipient of other social aid."),
    "rule.NO_OTHER_SOCIAL_AID.FAIL": (
        "Tercatat sebagai penerima {programmes}; skema ini mengecualikan penerima bantuan sosial lain.",
        "Registered in {programmes}; this scheme excludes recipients of other social aid.",
    ),
    "rule.NO_OTHER_SOCIAL_AID.SCHEME": (
        "Pada skema ini, penerima bantuan sosial lain tetap boleh mendaftar.",
        "Other social aid does not exclude applicants in this scheme.",
    ),
    "rule.NOT_BLACKLISTED.PASS": ("Tidak masuk daftar hitam.", "Not blacklisted."),
    "rule.NOT_BLACKLISTED.FAIL": (
        "Kepesertaan NIK ini pernah dicabut dan tidak dapat mendaftar lagi.",
        "This NIK was revoked from the programme and may not apply again.",
    ),
    "rule.NEVER_A_RECIPIENT.PASS": ("Belum pernah menjadi penerima program.", "Never a programme recipient."),
    "rule.NEVER_A_RECIPIENT.FAIL": (
        "NIK ini sudah pernah menjadi penerima program.",
        "This NIK has already been a programme recipient.",
    ),
    "rule.HOUSEHOLD_LIMIT.PASS": (
        "{selected} dari {limit} kuota penerima dalam KK Anda sudah terpakai.",
        "{selected} of {limit} places for your KK are used.",
    ),
    "rule.HOUSEHOLD_LIMIT.FAIL": (
        "{selected} anggota Kartu Keluarga (KK) Anda sudah menjadi penerima; batasnya {limit}.",
        "{selected} members of your family card (KK) are already recipients; the limit is {limit}.",
    ),
    "rule.FIRST_PURCHASE_DEADLINE": (
        "Tidak ada pelatihan yang dibeli sebelum batas waktu.",
        "No training bought before the deadline.",
    ),
    "rule.BALANCE_FORFEITED": ("{amount:rp} dikembalikan ke kas negara.", "{amount:rp} returned to the treasury."),
    "rule.BALANCE_RESTORED": ("{amount:rp} dikembalikan ke kartu.", "{amount:rp} back on the card."),
    "rule.OPERATOR_REVOKE": (
        "Diajukan oleh {requested_by}, disetujui oleh {approved_by} (empat mata).",
        "Requested by {requested_by}, approved by {approved_by} (four-eyes).",
    ),
    "rule.OPERATOR_REINSTATE": (
        "Diajukan oleh {requested_by}, disetujui oleh {approved_by} (empat mata).",
        "Requested by {requested_by}, approved by {approved_by} (four-eyes).",
    ),
    "rule.CERTIFICATE": (
        "Pelatihan pertama selesai dengan sertifikat.",
        "First training completed with a certificate.",
    ),
    "rule.RATING": ("Pelatihan sudah diberi nilai dan ulasan.", "The training was rated and reviewed."),
    "rule.ACCOUNT_LINKED": (
        "Rekening atas NIK yang sama dan sudah terverifikasi KYC telah terhubung.",
        "An account under the same NIK, KYC-verified, is linked.",
    ),
    "rule.AUDIT": ("{reason:code}: {detail} (bukti: {evidence})", "{reason:code}: {detail} (evidence: {evidence})"),
    "audit.INCOME_ABOVE_THRESHOLD": ("penghasilan di atas batas program", "income above the programme's threshold"),
    "audit.ENROLLED_STUDENT": ("terdaftar sebagai pelajar/mahasiswa penuh waktu", "enrolled as a full-time student"),
    "audit.STATE_EMPLOYEE": (
        "ASN, anggota TNI/Polri, atau pegawai BUMN",
        "a civil servant, soldier, police officer or state-company employee",
    ),
    "audit.VILLAGE_OFFICIAL": ("kepala desa atau perangkat desa", "a village head or village official"),
    "audit.SOCIAL_AID_RECIPIENT": (
        "menerima bantuan sosial lain pada saat yang sama",
        "received other social aid at the same time",
    ),
    "audit.IDENTITY_FRAUD": (
        "identitas yang dipakai bukan milik pendaftar",
        "the identity used was not the applicant's own",
    ),
    "audit.OTHER": ("alasan lain dari auditor", "another reason given by the auditor"),
}
