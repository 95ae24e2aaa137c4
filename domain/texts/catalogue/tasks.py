"""Skills tasks (TPM/UK, 2023+ scheme): their errors, the participant's next step, the notifications, the verdict."""

from __future__ import annotations

TASKS: dict[str, tuple[str, str]] = {
    "error.SKILLS_TASK_NOT_FOUND": (
        "Pelatihan ini tidak memiliki tugas tersebut, atau tugasnya belum dibuka.",
        "This training sets no such skills task, or it is not open yet.",
    ),
    "error.SKILLS_TASK_LAPSED": (
        "Batas waktu 3×24 jam tugas ini sudah lewat; hanya lembaga pelatihan yang dapat membukanya kembali.",
        "The 3×24-hour window of this task has passed; only the provider can reopen it.",
    ),
    "error.SKILLS_TASK_STATE": (
        "Tugas ini tidak dapat diubah pada tahap ini.",
        "This skills task cannot be changed at this point.",
    ),
    "error.SKILLS_TASKS_PENDING": (
        "Masih ada tugas praktik yang belum lulus.",
        "Some skills tasks have not passed yet.",
    ),
    "next.TASK.OPEN": (
        "Kumpulkan tugas {task} '{title}' beserta jurnal refleksi sebelum {due:dt}.",
        "Submit task {task} of '{title}' with your reflective journal by {due:dt}.",
    ),
    "next.TASK.REVISE": (
        "Lembaga pelatihan meminta perbaikan tugas {task} '{title}'; kumpulkan lagi sebelum {due:dt}.",
        "The provider asked you to revise task {task} of '{title}'; submit it again by {due:dt}.",
    ),
    "next.TASK.LAPSED": (
        "Batas waktu tugas {task} '{title}' sudah lewat; hubungi lembaga pelatihan agar tugas dibuka kembali.",
        "The window of task {task} of '{title}' has passed; ask the provider to reopen it.",
    ),
    "next.TASK.SUBMITTED": (
        "Tugas '{title}' sudah dikumpulkan; menunggu penilaian lembaga pelatihan.",
        "Your tasks for '{title}' are submitted; the provider grades them next.",
    ),
    "notify.TASKS_OPEN": (
        "Tugas praktik '{title}' sudah dibuka: kumpulkan sebelum {due:dt}.",
        "The skills tasks of '{title}' are open: submit them by {due:dt}.",
    ),
    "notify.TASK_GRADED": (
        "Tugas {task} '{title}' sudah dinilai: {verdict:code}.",
        "Task {task} of '{title}' was graded: {verdict:code}.",
    ),
    "notify.TASK_LAPSED": (
        "Batas waktu tugas {tasks} '{title}' sudah lewat; hubungi lembaga pelatihan agar tugas dibuka kembali.",
        "The window of task(s) {tasks} of '{title}' has passed; ask the provider to reopen it.",
    ),
    "task.PASS": ("lulus", "passed"),
    "task.REVISE": ("perlu perbaikan", "revise and resubmit"),
    "training.NOT_CERTIFIED.TASKS": (
        "Tidak tersertifikasi: tugas praktik {tasks} belum lulus.",
        "Not certified: skills task(s) {tasks} have not passed.",
    ),
}
