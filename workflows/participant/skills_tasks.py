"""Stage 6b, skills tasks (2023+ scheme): the participant submits each TPM/UK task the course sets within its
3×24 h window (a durable timer lapses it), the provider grades it (pass / revise) or reopens a lapsed one. The tasks
open with the provider's completion report (``TrainingStage``); the platform's confirmation waits for all of them."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.errors import ErrorCode
    from domain.texts.text import text
    from domain.training import tasks as tk
    from domain.training.task_messages import GradeTaskRequest, SubmitTaskRequest, TaskRef, TaskView, task_view
    from domain.training.trainings import Training
    from workflows.participant.case import CaseBase, Timer, raise_if, refuse


class SkillsTasksStage(CaseBase):
    @workflow.update
    async def submit_skills_task(self, req: SubmitTaskRequest) -> TaskView:
        async with self._market_lock:
            t = self._check_submission(req)
            task = tk.task_of(t.tasks, req.sequence)
            assert task is not None
            sub = tk.Submission(req.url_file.strip(), req.journal, workflow.now(), req.by)
            t = self._set_task(t, tk.submit(task, sub))
            await self._project()
            return task_view(t, req.sequence, tk.task_of(t.tasks, req.sequence))

    @submit_skills_task.validator
    def validate_submit_skills_task(self, req: SubmitTaskRequest) -> None:
        self._check_submission(req)

    def _check_submission(self, req: SubmitTaskRequest) -> Training:
        if req.provider_code:
            t = self._task_training(TaskRef(req.redeem_code, req.provider_code, req.sequence))
        else:
            self._check_owner(req.account_id)
            t = self._task_training(TaskRef(req.redeem_code, "", req.sequence), participant=True)
        raise_if(
            tk.submit_refusal(
                t.tasks, req.sequence, url_file=req.url_file.strip(), journal=req.journal, by=req.by,
                now=workflow.now(),
            )
        )  # fmt: skip
        return t

    @workflow.update
    async def grade_skills_task(self, req: GradeTaskRequest) -> TaskView:
        async with self._market_lock:
            t = self._check_grade(req)
            task = tk.task_of(t.tasks, req.sequence)
            assert task is not None
            g = tk.Grade(tk.Verdict(req.verdict), req.notes, req.url_file.strip(), workflow.now(), req.provider_code)
            graded = tk.grade(task, g, self.scheme.skills_task_window)
            t = self._set_task(t, graded)
            self._wake += 1  # a REVISE has a new deadline
            if graded is not task:
                verdict = f"task.{req.verdict}"
                note = text("notify.TASK_GRADED", task=req.sequence, title=t.course.title, verdict=verdict)
                key = f"{t.voucher_code}:{req.sequence}:{len(graded.grades)}"
                await self._notify_and_project("TASK_GRADED", note, key=key)
            return task_view(t, req.sequence, tk.task_of(t.tasks, req.sequence))

    @grade_skills_task.validator
    def validate_grade_skills_task(self, req: GradeTaskRequest) -> None:
        self._check_grade(req)

    def _check_grade(self, req: GradeTaskRequest) -> Training:
        if req.verdict not in tk.Verdict.__members__:
            raise refuse(ErrorCode.INVALID_ARGUMENT, "The verdict is PASS or REVISE.")
        t = self._task_training(TaskRef(req.redeem_code, req.provider_code, req.sequence))
        raise_if(tk.grade_refusal(t.tasks, req.sequence, verdict=tk.Verdict(req.verdict), notes=req.notes))
        return t

    @workflow.update
    async def reopen_skills_task(self, req: TaskRef) -> TaskView:
        async with self._market_lock:
            t = self._task_training(req)
            raise_if(tk.reopen_refusal(t.tasks, req.sequence))
            task = tk.task_of(t.tasks, req.sequence)
            assert task is not None
            t = self._set_task(t, tk.reopen(task, workflow.now(), self.scheme.skills_task_window))
            self._wake += 1  # a new deadline
            await self._project()
            return task_view(t, req.sequence, tk.task_of(t.tasks, req.sequence))

    @reopen_skills_task.validator
    def validate_reopen_skills_task(self, req: TaskRef) -> None:
        raise_if(tk.reopen_refusal(self._task_training(req).tasks, req.sequence))

    @workflow.query
    def skills_task(self, req: TaskRef) -> TaskView | None:
        """One task of a code, for its own provider; ``None`` for anyone else (or an unknown code)."""
        t = next((t for t in self.state.trainings if t.redeem_code == req.redeem_code), None)
        if t is None or t.course.provider_code != req.provider_code:
            return None
        return task_view(t, req.sequence, tk.task_of(t.tasks, req.sequence))

    # -- helpers and the lapse timer ---------------------------------------------------------
    def _task_training(self, req: TaskRef, *, participant: bool = False) -> Training:
        t = next((t for t in self.state.trainings if t.redeem_code == req.redeem_code), None)
        if t is None:
            raise refuse(ErrorCode.REDEEM_CODE_NOT_FOUND, "There is no such redeem code.")
        if not participant and t.course.provider_code != req.provider_code:
            raise refuse(ErrorCode.CODE_OF_OTHER_PROVIDER, "This redeem code belongs to another training provider.")
        if not t.tasks:
            raise refuse(ErrorCode.SKILLS_TASK_NOT_FOUND, "This training has no skills tasks open.")
        return t

    def _set_task(self, t: Training, task: tk.SkillsTask) -> Training:
        tasks = tuple(task if k.sequence == task.sequence else k for k in t.tasks)
        return self._replace_training(t, tasks=tasks)

    def _skills_task_timers(self) -> list[Timer]:
        return [
            (due, lambda code=t.voucher_code: self._lapse_tasks(code))
            for t in self.state.trainings
            if t.tasks and (due := tk.next_due(t.tasks)) is not None
        ]

    async def _lapse_tasks(self, voucher_code: str) -> None:
        async with self._market_lock:
            t = self._training_by_voucher(voucher_code)
            lapsed = tk.lapse_due(t.tasks, workflow.now())
            newly = [k.sequence for k, was in zip(lapsed, t.tasks, strict=True) if k.status is not was.status]
            if newly:
                t = self._replace_training(t, tasks=lapsed)
                note = text("notify.TASK_LAPSED", tasks=", ".join(map(str, newly)), title=t.course.title)
                key = f"{t.voucher_code}:{'-'.join(map(str, newly))}:{sum(k.reopened for k in lapsed)}"
                await self._notify_and_project("TASK_LAPSED", note, key=key)
