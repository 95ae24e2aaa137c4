"""Workflow code generations and the patches they take without asking ``workflow.patched``.

A run of generation N takes every patch of generation <= N unconditionally: no patch marker and no
``TemporalChangeVersion`` upsert per case. A run started by older code (generation 0) asks, as before. A new patch
gets the next generation, and ``GENERATION`` moves to it once no run of an older generation can be replayed without
the patch. Ask a new patch before any local activity of its workflow task: a query can move the code after a local
activity into the next task (README, "Changing workflow code").
"""

GENERATION = 4
"""The code generation new runs start in."""

REGISTRY_CHECKS_AS_LOCAL_ACTIVITY = "registry-checks-as-local-activity"
"""Patch: the registry checks are one local activity (they were an activity task)."""
NOTES_WITH_PROJECTION = "notifications-with-projection"
"""Patch: a change's notifications ride on its projection's local activity (they had one of their own)."""
PAY_AS_LOCAL_ACTIVITY = "pay-tranche-as-local-activity"
"""Patch: a transfer is a local activity in the workflow task that found the tranche due (it was an activity
task of its own: one more workflow task and six more events per tranche)."""
COALESCED_PROJECTIONS = "coalesced-projections"
"""Patch: a case is projected once per workflow task, by the run loop before it waits, not by each handler and
action that changed it. Asked when the run starts (before any local activity), so a run keeps one way."""
WAVE_RESULTS_AS_DATA = "wave-results-as-data"
"""Patch: a joiner's result is data (the selection writes it into the read model); the fan-out wakes a joiner only
if selected, and the case reads its result at its next interaction (joining the next wave, any projection).
Asked when the run starts, so a run already waiting in a wave finishes the old way (woken whatever its result)."""

WORKING_DAYS_FROM_CALENDAR = "working-days-from-calendar"
"""Patch: the certificate's verification window counts Indonesia's public holidays and cuti bersama, read through a
local activity (the recorded date replays whatever the calendar says later)."""

RELINK_LINKED_ACCOUNT = "relink-linked-account"
"""Patch: linking the account that is already linked, after the partner refused a transfer to it, is a relink (a new
link number; the refused tranches are due again), not a no-op that left them failed."""

ASYNC_SETTLEMENT = "async-settlement"
"""Patch, by generation only (no marker, never asked of an older run): a transfer the partner accepted without
settling it is PENDING until the partner's report (a signal routed by the transfer's key) or a status check on a
durable timer with bounded backoff settles it. Runs of older generations keep settling within the transfer."""
SKILLS_TASKS_GATE_CERTIFICATE = "skills-tasks-gate-certificate"
"""Patch: under a scheme with skills tasks (2023+), a completion report opens the course's TPM/UK tasks (a durable
3×24 h timer each) and the platform's confirmation waits until every task passed. Asked in the completion report's
handler, only for a course that sets tasks (no run before generation 4 has one)."""
ENROLMENT_IN_BULK = "enrolment-in-bulk"
"""Patch (generation 4, not asked: runs of older generations keep enrolling themselves): a selected participant woken
with the card its wave's selection issued records the enrolment (``domain.enrollment.bulk``) in the signal's
workflow task with no local activity: no projection and no notification there, the wave's fan-out writes the row
and the ``ENROLLED`` messages. The task records the card, indexes the stage and starts the deadline's timer."""

PATCHES = {
    REGISTRY_CHECKS_AS_LOCAL_ACTIVITY: 1,
    NOTES_WITH_PROJECTION: 1,
    PAY_AS_LOCAL_ACTIVITY: 1,
    COALESCED_PROJECTIONS: 2,
    WORKING_DAYS_FROM_CALENDAR: 3,
    RELINK_LINKED_ACCOUNT: 3,
    WAVE_RESULTS_AS_DATA: 3,
    # generation 4
    ASYNC_SETTLEMENT: 4,
    SKILLS_TASKS_GATE_CERTIFICATE: 4,
    ENROLMENT_IN_BULK: 4,
}
"""Patch ID -> the first generation that has it unconditionally."""
