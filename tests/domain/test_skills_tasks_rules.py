"""The skills-task rules (TPM 1–998, UK 999; 3×24 h; pass / revise; lapse and reopen) and their official integer
statuses, as pure functions."""

from __future__ import annotations

import datetime as dt

from domain.errors import ErrorCode
from domain.scheme import NORMAL_2023, SEMI_BANSOS_2020, get_scheme
from domain.training import tasks as tk

T0 = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
URL = "https://files.example.id/a.pdf"


def _open() -> tuple[tk.SkillsTask, ...]:
    return tk.open_tasks((999, 1), T0, tk.TASK_WINDOW)


def test_scope_and_sequence_pairs_follow_the_contract():
    assert tk.valid_sequence("tpm", 1) and tk.valid_sequence("tpm", 998) and tk.valid_sequence("uk", 999)
    assert not tk.valid_sequence("tpm", 999) and not tk.valid_sequence("uk", 1) and not tk.valid_sequence("x", 1)
    assert not tk.valid_sequence("tpm", 0)
    assert tk.scope_of(999) is tk.TaskScope.UK and tk.scope_of(3) is tk.TaskScope.TPM


def test_course_tasks_are_checked():
    assert tk.task_problems((1, 999)) == []
    assert tk.task_problems((1, 1)) and tk.task_problems((1000,)) and tk.task_problems(tuple(range(1, 12)))


def test_the_schemes_differ_by_configuration():
    assert NORMAL_2023.skills_tasks and not SEMI_BANSOS_2020.skills_tasks
    assert NORMAL_2023.skills_task_window == dt.timedelta(hours=72)
    assert get_scheme("NORMAL_2023_X60").skills_task_window == dt.timedelta(hours=72) / 60
    assert get_scheme("NORMAL_2023_X100000").skills_task_window == dt.timedelta(minutes=5)  # a person's floor


def test_submission_window_lapse_and_reopen():
    tasks = _open()
    assert [k.sequence for k in tasks] == [1, 999]
    ok = {"url_file": URL, "journal": "Refleksi.", "by": "participant"}
    assert tk.submit_refusal(tasks, 1, now=T0 + dt.timedelta(hours=71), **ok) is None
    assert tk.submit_refusal(tasks, 1, now=T0 + dt.timedelta(hours=72), **ok)[0] is ErrorCode.SKILLS_TASK_LAPSED
    assert tk.submit_refusal(tasks, 2, now=T0, **ok)[0] is ErrorCode.SKILLS_TASK_NOT_FOUND
    assert tk.submit_refusal(tasks, 1, now=T0, **(ok | {"url_file": "ftp://x"}))[0] is ErrorCode.INVALID_ARGUMENT
    assert tk.submit_refusal(tasks, 1, now=T0, **(ok | {"journal": ""}))[0] is ErrorCode.INVALID_ARGUMENT
    assert tk.submit_refusal(tasks, 1, now=T0, **(ok | {"journal": "", "by": "partner:lpk"})) is None
    assert tk.next_due(tasks) == T0 + dt.timedelta(hours=72)
    lapsed = tk.lapse_due(tasks, T0 + dt.timedelta(hours=72))
    assert {k.status for k in lapsed} == {tk.TaskStatus.LAPSED} and tk.next_due(lapsed) is None
    assert tk.assignment_status(lapsed[0]) == 3
    assert tk.reopen_refusal(tasks, 1)[0] is ErrorCode.SKILLS_TASK_STATE  # only a lapsed one
    again = tk.reopen(lapsed[0], T0 + dt.timedelta(days=5), tk.TASK_WINDOW)
    assert again.status is tk.TaskStatus.OPEN and again.reopened == 1
    assert again.due_at == T0 + dt.timedelta(days=5, hours=72)


def test_grades_revise_then_pass_and_the_official_statuses():
    task = _open()[0]
    assert (tk.assignment_status(None), tk.assignment_status(task), tk.feedback_status(task)) == (0, 1, 0)
    assert tk.grade_refusal((task,), 1, verdict=tk.Verdict.PASS, notes="x")[0] is ErrorCode.SKILLS_TASK_STATE
    sent = tk.submit(task, tk.Submission(URL, "j", T0, "participant"))
    assert (sent.status, tk.assignment_status(sent), tk.feedback_status(sent)) == (tk.TaskStatus.SUBMITTED, 2, 0)
    assert tk.grade_refusal((sent,), 1, verdict=tk.Verdict.PASS, notes=" ")[0] is ErrorCode.INVALID_ARGUMENT
    at = T0 + dt.timedelta(hours=10)
    revise = tk.grade(sent, tk.Grade(tk.Verdict.REVISE, "foto", "", at, "lpk"), tk.TASK_WINDOW)
    assert revise.status is tk.TaskStatus.REVISE and revise.due_at == at + tk.TASK_WINDOW
    assert tk.feedback_status(revise) == 2 and tk.pending((revise,)) == [1]
    resent = tk.submit(revise, tk.Submission(URL + "2", "j2", at, "participant"))
    passed = tk.grade(resent, tk.Grade(tk.Verdict.PASS, "ok", "", at, "lpk"), tk.TASK_WINDOW)
    assert passed.status is tk.TaskStatus.PASSED and tk.feedback_status(passed) == 1 and tk.pending((passed,)) == []
    assert tk.submit_refusal((passed,), 1, url_file=URL, journal="x", by="participant", now=at)[0] is (
        ErrorCode.SKILLS_TASK_STATE
    )
