"""The official TPM/UK endpoints' business answers: the same calls as the partner GraphQL schema for real codes
(``caseapi.shared.task_calls``), and the sandbox's practice tasks for ``PRAT-`` test codes (no workflow touched: any
scope and sequence can be submitted on a test code, graded, and cleared by ``redeem-code/reset``)."""

from __future__ import annotations

import datetime as dt

from caseapi.partner.rest_gateway import WorkflowRedeemGateway, _error
from caseapi.partner.sandbox_redeem import own_code
from caseapi.rest.ports import RedeemError
from caseapi.shared import errors as e
from caseapi.shared.task_calls import forward_submission, grade_task, task_status
from domain.errors import ErrorCode
from domain.training import tasks as tk
from domain.training.sandbox import is_sandbox_code
from domain.training.task_messages import GradeTaskRequest, TaskRef, TaskView, task_view
from domain.training.trainings import Course, Training, TrainingMode

SANDBOX_WINDOW = dt.timedelta(days=365)
"""A practice task never lapses in the sandbox."""


def _answer(result: object) -> TaskView | RedeemError:
    if isinstance(result, TaskView):
        return result
    assert isinstance(result, e.Error)
    return _error(result)


def _sandbox_view(code: str, sequence: int, task: tk.SkillsTask | None) -> TaskView:
    course = Course("SANDBOX-TPM", "Sandbox", "", "Sandbox", 1, TrainingMode.SELF_PACED, "Sandbox")
    t = Training("", f"SANDBOX-{code}", "", code, course, 1, dt.datetime.min.replace(tzinfo=dt.UTC))
    return task_view(t, sequence, task)


class WorkflowTpmGateway(WorkflowRedeemGateway):
    """Implements ``caseapi.rest.ports.TpmGateway`` (signing keys and the sandbox store as the LP endpoints)."""

    async def submit(self, client_code: str, redeem_code: str, sequence: int, url_file: str) -> TaskView | RedeemError:
        if self._store is not None and is_sandbox_code(redeem_code):
            return await self._sandbox(client_code, redeem_code, sequence, url_file=url_file)
        return _answer(await forward_submission(self._context(), client_code, redeem_code, sequence, url_file))

    async def task(self, client_code: str, redeem_code: str, sequence: int) -> TaskView | RedeemError:
        if self._store is not None and is_sandbox_code(redeem_code):
            return await self._sandbox(client_code, redeem_code, sequence)
        return _answer(await task_status(self._context(), TaskRef(redeem_code.strip(), client_code, sequence)))

    async def feedback(
        self, client_code: str, redeem_code: str, sequence: int, verdict: str, notes: str, url_file: str
    ) -> TaskView | RedeemError:
        if self._store is not None and is_sandbox_code(redeem_code):
            grade = tk.Grade(tk.Verdict(verdict), notes, url_file, self._clock(), client_code)
            return await self._sandbox(client_code, redeem_code, sequence, grade=grade)
        req = GradeTaskRequest(redeem_code.strip(), client_code, sequence, verdict, notes, url_file)
        return _answer(await grade_task(self._context(), req))

    async def _sandbox(
        self, client: str, code: str, sequence: int, *, url_file: str = "", grade: tk.Grade | None = None
    ) -> TaskView | RedeemError:
        assert self._store is not None
        row = await own_code(self._store, client, code, None)
        if isinstance(row, RedeemError):
            return row
        task = await self._store.sandbox_task(row.redeem_code, sequence)
        now = self._clock()
        if url_file:
            task = task or tk.open_tasks((sequence,), now, SANDBOX_WINDOW)[0]
            refusal = tk.submit_refusal((task,), sequence, url_file=url_file, journal="", by="partner", now=now)
            if refusal is not None:
                return RedeemError(refusal[0].value, refusal[1])
            task = tk.submit(task, tk.Submission(url_file, "", now, f"partner:{client}"))
            await self._store.save_sandbox_task(row.redeem_code, task)
        elif grade is not None:
            tasks = (task,) if task is not None else ()
            refusal = tk.grade_refusal(tasks, sequence, verdict=grade.verdict, notes=grade.notes)
            if task is None or refusal is not None:
                why = refusal or (ErrorCode.SKILLS_TASK_NOT_FOUND, "Submit a practice task first.")
                return RedeemError(why[0].value, why[1])
            task = tk.grade(task, grade, SANDBOX_WINDOW)
            await self._store.save_sandbox_task(row.redeem_code, task)
        return _sandbox_view(row.redeem_code, sequence, task)
