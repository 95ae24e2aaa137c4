"""Test scores and ratings for ``ParticipantWorkflow``: providers report pre/post-test scores, the participant
rates a certified training once (domain.md §6)."""

from __future__ import annotations

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from domain.errors import ErrorCode
    from domain.training import rating_refusal, score_refusal
    from domain.training_messages import RatingRequest, ScoreReport, TrainingView
    from workflows.base import refuse
    from workflows.training import TrainingMixin, raise_if


class FeedbackMixin(TrainingMixin):
    @workflow.update
    async def report_test_score(self, req: ScoreReport) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(score_refusal(t, provider_code=req.provider_code, kind=req.kind, score=req.score))
            field = "pre_test_score" if req.kind == "PRE" else "post_test_score"
            if getattr(t, field) is None:
                t = self._replace(t, **{field: req.score})
                await self._project()
            return self._view(t)

    @report_test_score.validator
    def validate_report_test_score(self, req: ScoreReport) -> None:
        t = self._training_by_voucher(req.voucher_code)
        raise_if(score_refusal(t, provider_code=req.provider_code, kind=req.kind, score=req.score))

    @workflow.update
    async def rate_training(self, req: RatingRequest) -> TrainingView:
        async with self._market_lock:
            t = self._training_by_voucher(req.voucher_code)
            raise_if(rating_refusal(t, stars=req.stars, review=req.review))
            if t.rating is None:
                t = self._replace(t, rating=req.stars, review=req.review, rated_at=workflow.now())
                await self._project()
            return self._view(t)

    @rate_training.validator
    def validate_rate_training(self, req: RatingRequest) -> None:
        if self.state.account_id != req.account_id:
            raise refuse(ErrorCode.CASE_NOT_FOUND, "You have not applied yet.")
        raise_if(rating_refusal(self._training_by_voucher(req.voucher_code), stars=req.stars, review=req.review))
