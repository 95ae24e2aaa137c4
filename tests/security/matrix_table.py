"""The authorization matrix: the expected outcome of every field for every role, and each field's arguments.

A row lists the roles that get something other than the default refusal. The default for a role whose token was
minted for the endpoint is ``FORBID``; for anyone else (no token, or a token of another endpoint's audience) it is
``UNAUTH``. Fields that return a plain list or a nullable object (no typed error in their type) answer a refused
caller with ``EMPTY`` instead. A field of the schemas without a row here fails the matrix test.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from tests.security.matrix_outcomes import ALLOW, EMPTY, FORBID, HIDDEN, NOT_YOURS
from tests.security.matrix_world import AS, DP, DP2, JP, MO, PA, PB, PP, ROLES, SUP, SX, SY, TP, TP2, World

OWN = {PA: ALLOW, PB: ALLOW}
OWN_LIST = {PA: (ALLOW, EMPTY), PB: (ALLOW, EMPTY)}
STAFF = {SX: ALLOW, SY: ALLOW, SUP: ALLOW}
SCOPED = {SX: ALLOW, SY: HIDDEN, SUP: ALLOW}
"""A's case (province X): visible to staff of X and the national supervisor, missing for staff of Y."""
NATIONAL = {SUP: ALLOW}
"""National duties: staff scoped to a province are forbidden (``SX``/``SY`` default to FORBID)."""
PARTNERS = {DP: ALLOW, TP: ALLOW, JP: ALLOW, PP: ALLOW, DP2: ALLOW, TP2: ALLOW}
PUBLIC = dict.fromkeys(ROLES, ALLOW)

MATRIX: dict[str, dict[str, Any]] = {
    # participant: each participant acts on their own case only
    "participant.query.myCase": OWN,
    "participant.query.abilityTest": OWN,
    "participant.query.openWaves": OWN_LIST,
    "participant.query.verifyWaveSelection": PUBLIC,
    "participant.query.myJobRecommendations": OWN,
    "participant.query.trendingJobs": OWN,
    "participant.mutation.apply": OWN,
    "participant.mutation.startAbilityTest": OWN,
    "participant.mutation.submitAbilityTest": OWN,
    "participant.mutation.joinWave": OWN,
    "participant.mutation.rateTraining": {PA: ALLOW, PB: HIDDEN},  # A's voucher: B's case has no such voucher
    "participant.mutation.submitSkillsTask": {PA: ALLOW, PB: HIDDEN},  # A's redeem code: not in B's case
    "participant.mutation.linkPayoutAccount": OWN,
    "participant.mutation.unlinkPayoutAccount": OWN,
    "participant.mutation.changePhone": OWN,
    "participant.mutation.fileComplaint": OWN,
    "participant.mutation.answerSurvey": OWN,
    "participant.mutation.markVacancy": OWN,
    "participant.mutation.confirmAttendance": OWN,  # a link that is not genuine: a typed INVALID_ARGUMENT
    "participant.subscription.myCaseStatus": OWN,
    # staff: province scope; waves, partners, catalogue and money are national duties
    "staff.query.case": SCOPED,
    "staff.query.caseByNik": SCOPED,
    "staff.query.cases": STAFF,  # searched by A's NIK: staff of Y get an empty page (checked by the leak check)
    "staff.query.waves": STAFF,
    "staff.query.wave": STAFF,
    "staff.query.courses": STAFF,
    "staff.query.trainingOutcomes": STAFF,
    "staff.query.verifyWaveSelection": PUBLIC,
    "staff.query.paymentDiscrepancies": NATIONAL,
    "staff.query.receivables": NATIONAL,
    "staff.query.pendingActions": STAFF,  # A's requests must not reach staff of Y (leak check)
    "staff.query.caseAudit": SCOPED,
    "staff.query.complaints": STAFF,  # A's complaint must not reach staff of Y (leak check)
    "staff.query.trendingJobs": {SX: ALLOW, SY: FORBID, SUP: ALLOW},  # province X
    "staff.query.funnel": {SX: ALLOW, SY: FORBID, SUP: ALLOW},  # province X
    "staff.query.whatIf": STAFF,  # an unknown ID: staff get a typed WhatIfNotFound
    "staff.query.whatIfs": dict.fromkeys((SX, SY, SUP), (ALLOW, EMPTY)),  # a list: refused callers get []
    # providers are national; a monitor sees the providers its body monitors (MO's body monitors TP)
    "staff.query.providerIntegrity": {SUP: ALLOW, MO: ALLOW},
    "staff.query.courseIntegrity": {SUP: ALLOW, MO: ALLOW},
    "staff.query.integrityEvidence": {SUP: ALLOW, MO: ALLOW},
    "staff.mutation.createWave": NATIONAL,
    "staff.mutation.closeWave": NATIONAL,
    "staff.mutation.extendWave": NATIONAL,
    "staff.mutation.uploadPriorityCohort": NATIONAL,
    "staff.mutation.registerPartner": NATIONAL,
    "staff.mutation.upsertCourse": NATIONAL,
    "staff.mutation.upsertSchedule": NATIONAL,
    "staff.mutation.setCourseRequirements": NATIONAL,
    "staff.mutation.cancelVoucher": SCOPED,
    "staff.mutation.verifyCompletion": SCOPED,
    "staff.mutation.markIneligible": SCOPED,
    "staff.mutation.recordRepayment": SCOPED,
    "staff.mutation.runReconciliation": NATIONAL,
    "staff.mutation.requestAction": SCOPED,
    "staff.mutation.approveAction": {SX: FORBID, SY: HIDDEN, SUP: ALLOW},  # four-eyes: supervisors only
    "staff.mutation.rejectAction": {SX: FORBID, SY: HIDDEN, SUP: ALLOW},
    "staff.mutation.assignComplaint": SCOPED,
    "staff.mutation.answerComplaint": SCOPED,
    "staff.mutation.closeComplaint": SCOPED,
    "staff.mutation.resolveDiscrepancy": NATIONAL,
    "staff.mutation.startWhatIf": {SX: ALLOW, SY: FORBID, SUP: ALLOW},  # a quota of province X changed
    # course quality: the PMO is national staff; an assessor sees only its body's queue (A's version here)
    "staff.query.courseReviewQueue": {SUP: (ALLOW, EMPTY), AS: ALLOW},
    "staff.query.qualityBodies": {SUP: ALLOW},
    "staff.mutation.reviewCourseVersion": {SUP: ALLOW, AS: ALLOW},  # SUP: not the PMO's layer now (typed)
    "staff.mutation.registerQualityBody": NATIONAL,
    # monitoring: MO's body monitors TP; sanctions: national staff open, supervisors decide (four eyes)
    "staff.query.monitoringSample": {MO: ALLOW},
    "staff.query.verifyMonitoringSample": {},  # no such sample: null for everyone
    "staff.query.findings": {SUP: (ALLOW, EMPTY), MO: (ALLOW, EMPTY)},
    "staff.query.qualityTimeline": {SUP: ALLOW, MO: ALLOW},
    "staff.query.sanctions": {SX: (ALLOW, EMPTY), SY: (ALLOW, EMPTY), SUP: (ALLOW, EMPTY)},
    "staff.mutation.recordFinding": {MO: ALLOW},  # refused as invalid: nothing written
    "staff.mutation.openSanction": NATIONAL,  # refused as invalid: nothing written
    "staff.mutation.approveSanction": {SUP: ALLOW},  # no such sanction (typed)
    "staff.mutation.rejectSanction": {SUP: ALLOW},
    "staff.subscription.caseStatusChanges": {SX: ALLOW, SY: FORBID, SUP: ALLOW},  # province X
    "staff.subscription.queueChanges": STAFF,  # staff of Y hear only Y (leak check)
    # partner: the type comes from our registry; another partner's objects are refused
    "partner.query.me": PARTNERS,
    "partner.query.courses": {**PARTNERS, TP2: EMPTY},  # a platform sees its own, a provider what it delivers
    "partner.mutation.requestPurchaseOtp": {DP: ALLOW, DP2: HIDDEN},  # DP's course: not on DP2's platform
    "partner.query.voucherStatus": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.query.purchase": {DP: ALLOW, DP2: HIDDEN},
    "partner.mutation.purchaseTraining": {DP: ALLOW, DP2: HIDDEN},
    "partner.mutation.cancelPurchase": {DP: ALLOW, DP2: NOT_YOURS},
    "partner.mutation.confirmCompletion": {DP: ALLOW, DP2: NOT_YOURS},
    "partner.mutation.upsertCourse": {DP: ALLOW, DP2: FORBID},  # DP's course
    "partner.mutation.redeemVoucher": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.mutation.reportCompletion": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.mutation.reportTestScore": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.query.skillsTask": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.mutation.gradeSkillsTask": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.mutation.reopenSkillsTask": {TP: ALLOW, TP2: NOT_YOURS},
    "partner.mutation.upsertVacancy": {JP: ALLOW},
    "partner.mutation.reportTransfer": {PP: ALLOW},  # a typed TransferNotFound: no transfer of its has the key
    "partner.query.courseVersions": {DP: ALLOW, TP: ALLOW},  # TP's course on DP; everyone else: nothing
    "partner.mutation.submitCourseVersion": {TP: ALLOW, TP2: FORBID},  # the same submission again: same version
    "partner.mutation.reviewCourseVersion": {DP: ALLOW, DP2: HIDDEN},  # DP: not its layer now (typed)
}


def arguments(w: World) -> dict[str, dict[str, Any]]:
    """Minimal valid-looking arguments per field (JSON variables; enums as strings). Fields with only optional
    arguments need no entry; a field with a required argument and no entry fails the test."""
    m, now = w.market, dt.datetime.now(dt.UTC)
    dear = dict(m.courses["dear"])
    key = uuid.uuid4().hex
    application = {
        "requestId": f"matrix-{key[:12]}", "email": "budi@example.id", "phone": "081234567890",
        "nik": "3201011508950001", "kkNumber": "3201010101200001", "dateOfBirth": "1995-08-15",
        "fullName": "Budi Santoso", "sex": "M", "education": "SMA", "employmentStatus": "JOB_SEEKER",
        "ktpAddress": {"street": "Jl. Raya 1", "provinceCode": "32", "regencyCode": "32.01"},
        "domicile": {"street": "Jl. Raya 1", "provinceCode": "32", "regencyCode": "32.01"},
        "trainingInterest": "digital marketing", "consent": False,
    }  # fmt: skip
    vacancy = {
        "vacancyId": f"v-{key[:8]}", "title": "Staf Pemasaran", "category": "Digital Marketing",
        "provinceCode": w.province_x, "employer": "PT Contoh", "postedOn": now.date().isoformat(),
        "expiresOn": (now.date() + dt.timedelta(days=30)).isoformat(), "url": "http://insecure.example",
    }  # fmt: skip
    review = {"courseCode": w.version["courseCode"], "version": 1, "verdict": "REQUEST_CHANGES"}
    purchase = {"cardNumber": w.card_a, "courseCode": m.courses["selfpaced"]["courseCode"], "price": 1_000_000,
                "otp": "000000", "idempotencyKey": key}  # fmt: skip
    return {
        "participant.query.verifyWaveSelection": {"waveId": w.wave_a},
        "participant.query.trendingJobs": {"provinceCode": w.province_x},
        "participant.mutation.apply": {"input": application},
        "participant.mutation.submitAbilityTest": {"input": {"attempt": 99, "answers": []}},
        "participant.mutation.joinWave": {"waveId": w.wave_a},
        "participant.mutation.rateTraining": {"voucherCode": w.voucher_a, "stars": 5},
        "participant.mutation.confirmAttendance": {"link": "not-a-signed-link"},
        "participant.mutation.submitSkillsTask": {
            "redeemCode": w.redeem_a,
            "sequence": 1,
            "urlFile": "https://files.example/t.md",
            "journal": "matrix",
        },
        "participant.mutation.linkPayoutAccount": {"provider": "BCA", "accountNumber": "0000000001"},
        "participant.mutation.changePhone": {"phone": "12"},
        "participant.mutation.fileComplaint": {
            "category": "OTHER",
            "text": "The matrix asks a question here.",
            "requestId": f"matrix-{key[:16]}",
        },
        "participant.mutation.answerSurvey": {"number": 1, "employment": "SEEKING"},
        "participant.mutation.markVacancy": {"vacancyId": "no-such-vacancy", "action": "APPLIED"},
        "staff.query.case": {"id": w.case_a},
        "staff.query.caseByNik": {"nik": w.nik_a},
        "staff.query.cases": {"filter": {"nik": w.nik_a}},
        "staff.query.wave": {"id": w.wave_a},
        "staff.query.verifyWaveSelection": {"waveId": w.wave_a},
        "staff.query.caseAudit": {"caseId": w.case_a},
        "staff.query.trendingJobs": {"provinceCode": w.province_x},
        "staff.query.funnel": {"provinceCode": w.province_x},
        "staff.query.whatIf": {"id": "0"},
        "staff.query.whatIfs": {"waveId": w.wave_a},
        "staff.query.courseIntegrity": {"providerCode": w.market.provider},
        "staff.query.integrityEvidence": {"providerCode": w.market.provider, "kind": "REFUNDS"},
        "staff.mutation.createWave": {
            "input": {
                "waveId": "G-MATRIX",
                "number": 1,
                "opensAt": now.isoformat(),
                "closesAt": (now - dt.timedelta(days=1)).isoformat(),
                "provinceQuotas": [],
            }
        },
        "staff.mutation.closeWave": {"waveId": w.wave_a, "reason": "matrix"},
        "staff.mutation.extendWave": {
            "waveId": w.wave_a,
            "closesAt": (now + dt.timedelta(days=1)).isoformat(),
            "reason": "matrix",
        },
        "staff.mutation.uploadPriorityCohort": {"waveId": w.wave_a, "cohort": "matrix", "niksFile": "nik\n"},
        "staff.mutation.registerPartner": {"clientCode": "!", "name": "Matrix", "type": "JOB_PORTAL"},
        "staff.mutation.upsertCourse": {"input": dear},
        "staff.mutation.upsertSchedule": {
            "input": {
                "scheduleCode": f"matrix-{key[:8]}",
                "courseCode": dear["courseCode"],
                "startsAt": now.isoformat(),
                "endsAt": now.isoformat(),
                "quota": -1,  # refused before any write
            }
        },
        "staff.mutation.setCourseRequirements": {"courseCode": dear["courseCode"], "minAge": -1},  # no write
        "staff.mutation.cancelVoucher": {"voucherCode": w.voucher_a, "reason": "matrix"},
        "staff.mutation.verifyCompletion": {"voucherCode": w.voucher_a},
        "staff.mutation.markIneligible": {
            "caseId": w.case_a,
            "reasonCode": "OTHER",
            "reason": "matrix",
            "evidence": "matrix",
        },
        "staff.mutation.recordRepayment": {"caseId": w.case_a, "reference": f"TRX-{key[:10]}", "amount": 1000},
        "staff.mutation.runReconciliation": {"day": "2000-01-01"},
        "staff.mutation.requestAction": {
            "caseId": w.case_a,
            "action": "RETRY_PAYOUT",
            "reasonCode": "SYSTEM_FAULT",
            "reason": "matrix",
            "params": [{"name": "tranche", "value": "1"}],
        },
        "staff.mutation.approveAction": {"requestId": w.request_to_approve},
        "staff.mutation.rejectAction": {"requestId": w.request_to_reject, "reason": "matrix"},
        "staff.mutation.assignComplaint": {"id": w.complaint_a},
        "staff.mutation.answerComplaint": {"id": w.complaint_a, "answer": "Answered by the matrix."},
        "staff.mutation.closeComplaint": {"id": w.complaint_a},
        "staff.mutation.resolveDiscrepancy": {"id": 2_000_000_000, "note": "matrix"},
        "staff.subscription.caseStatusChanges": {"provinceCode": w.province_x},
        "staff.mutation.startWhatIf": {
            "input": {
                "waveId": w.wave_a,
                "clientKey": f"matrix-{key[:12]}",
                "provinceQuotas": [{"provinceCode": w.province_x, "quota": 1}],
            }
        },
        "partner.mutation.requestPurchaseOtp": {
            "cardNumber": w.card_a,
            "courseCode": purchase["courseCode"],
            "price": 1_000_000,
            "requestId": key,
        },
        "partner.query.voucherStatus": {"redeemCode": w.redeem_a, "sequence": 1},
        "partner.query.purchase": {"idempotencyKey": w.purchase_key_a},
        "partner.mutation.purchaseTraining": {"input": purchase},
        "partner.mutation.cancelPurchase": {"voucherCode": w.voucher_a, "reason": "matrix"},
        "partner.mutation.confirmCompletion": {"voucherCode": w.voucher_a},
        "partner.mutation.upsertCourse": {"input": dear},
        "partner.mutation.redeemVoucher": {"redeemCode": w.redeem_a, "idempotencyKey": key, "sequence": 1},
        "partner.mutation.reportCompletion": {"voucherCode": w.voucher_a},
        "partner.mutation.reportTestScore": {"voucherCode": w.voucher_a, "kind": "PRE", "score": 50},
        "partner.query.skillsTask": {"redeemCode": w.redeem_a, "sequence": 1},
        "partner.mutation.gradeSkillsTask": {"redeemCode": w.redeem_a, "sequence": 1, "verdict": "PASS", "notes": "m"},
        "partner.mutation.reopenSkillsTask": {"redeemCode": w.redeem_a, "sequence": 1},
        "partner.mutation.upsertVacancy": {"input": vacancy},
        "partner.mutation.reportTransfer": {
            "input": {"key": f"{w.case_a}:incentive:1/1", "outcome": "SETTLED", "partnerReference": "TRX-1"}
        },
        "partner.query.courseVersions": {"courseCode": w.version["courseCode"]},
        "partner.mutation.submitCourseVersion": {"input": w.version},
        "partner.mutation.reviewCourseVersion": review,
        "staff.mutation.reviewCourseVersion": review,  # no reasons: refused by the workflow, nothing changes
        "staff.query.monitoringSample": {"providerCode": w.market.provider, "month": now.strftime("%Y-%m")},
        "staff.query.verifyMonitoringSample": {"sampleId": 2_000_000_000},
        "staff.query.findings": {"providerCode": w.market.provider},
        "staff.query.qualityTimeline": {"providerCode": w.market.provider},
        "staff.mutation.recordFinding": {
            "providerCode": w.market.provider,
            "severity": "MINOR",
            "summary": "",
            "evidence": [],
        },
        "staff.mutation.openSanction": {"kind": "WARNING", "providerCode": w.market.provider, "reason": ""},
        "staff.mutation.approveSanction": {"id": 2_000_000_000},
        "staff.mutation.rejectSanction": {"id": 2_000_000_000},
        "staff.mutation.registerQualityBody": {"bodyCode": "!", "name": "x", "assesses": True, "monitors": False},
    }
