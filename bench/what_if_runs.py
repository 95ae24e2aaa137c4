"""What-ifs of the benchmark's wave (``python -m bench.selection --what-if``): the same engine as the selection,
timed against it. Two runs: the wave's own parameters (must give back the real selection: overlap 100%), and a
policy change (every provincial quota +10%, one place per family card, no priority cohort)."""

from __future__ import annotations

import time

from adapters.db.what_if import PgWhatIfDesk
from domain.waves.what_if import WhatIfParams, total


async def what_ifs(engine, wave_id: str, quotas: dict[str, int], *, selection_seconds: float, work_mem: str) -> None:
    desk = PgWhatIfDesk(engine, work_mem=work_mem)
    runs = {
        "same parameters": WhatIfParams(),
        "quotas +10%, 1 per KK, no priority": WhatIfParams(
            quotas={p: q + q // 10 for p, q in quotas.items()}, priority_cohorts=(), household_limit=1
        ),
    }
    for n, (label, params) in enumerate(runs.items()):
        asked = await desk.request(wave_id, params, actor="bench", client_key=f"bench-{n}")
        print(f"what-if steps ({label}):")
        started = time.perf_counter()
        outcome = await desk.run(asked.what_if_id)
        seconds = time.perf_counter() - started
        view = await desk.get(asked.what_if_id)
        assert view is not None
        t = total(view.provinces)
        overlap = t.in_both / t.real.selected if t.real.selected else 1.0
        print(f"what-if                 {seconds:.1f} s for {t.joined:,} joiners ({label});"
              f" {seconds / selection_seconds:.2f}x the selection's {selection_seconds:.1f} s")  # fmt: skip
        print(f"  selected real {t.real.selected:,}, what-if {t.what_if.selected:,}; in both {t.in_both:,},"
              f" only real {t.only_real:,}, only what-if {t.only_what_if:,}; overlap {overlap:.1%};"
              f" same as real={outcome.same_as_real}")  # fmt: skip
        for reason in t.real.reasons:
            print(f"  {reason:<30} real {t.real.reasons[reason]:>10,}  what-if {t.what_if.reasons[reason]:>10,}")
