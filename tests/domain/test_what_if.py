"""What-if parameters and the side-by-side comparison (pure)."""

from __future__ import annotations

from domain.waves.what_if import WhatIfCell, WhatIfParams, compare, problems, total


def test_parameters_are_checked():
    assert problems(WhatIfParams(), cohorts_of_wave=[]) == []
    ok = WhatIfParams(quotas={"31": 0, "32": 500}, priority_cohorts=("KEMNAKER",), household_limit=1)
    assert problems(ok, cohorts_of_wave=["KEMNAKER", "BNPB"]) == []
    wrong = WhatIfParams(quotas={"99": 1, "31": -1}, priority_cohorts=("X", "X"), household_limit=0)
    found = " ".join(problems(wrong, cohorts_of_wave=["KEMNAKER"]))
    for text in ("Unknown province codes: 99", "between 0 and", "household limit", "each once", "no priority cohort X"):
        assert text in found


def test_parameters_round_trip_through_json():
    for params in (WhatIfParams(), WhatIfParams({"31": 3}, (), 1), WhatIfParams(priority_cohorts=("B", "A"))):
        back = WhatIfParams.from_json(params.to_json())
        assert back.quotas == params.quotas and back.household_limit == params.household_limit
        assert (back.priority_cohorts is None) == (params.priority_cohorts is None)
        assert sorted(back.priority_cohorts or ()) == sorted(params.priority_cohorts or ())


def test_cells_become_both_sides_and_the_overlap():
    cells = [
        WhatIfCell("31", "SELECTED_LOTTERY", "SELECTED_LOTTERY", 5),
        WhatIfCell("31", "SELECTED_LOTTERY", "NOT_SELECTED_HOUSEHOLD", 2),
        WhatIfCell("31", "NOT_SELECTED_QUOTA", "SELECTED_REDISTRIBUTION", 3),
        WhatIfCell("31", "NOT_SELECTED_BLACKLISTED", "NOT_SELECTED_BLACKLISTED", 1),
        WhatIfCell("32", "SELECTED_PRIORITY", "SELECTED_PRIORITY", 4),
    ]
    rows = {r.province_code: r for r in compare(cells, {"31": 7, "32": 4}, {"31": 7, "32": 4, "33": 9})}
    assert set(rows) == {"31", "32", "33"}  # a province with a quota and no joiners is shown too
    jakarta = rows["31"]
    assert (jakarta.joined, jakarta.in_both, jakarta.only_real, jakarta.only_what_if) == (11, 5, 2, 3)
    assert (jakarta.real.selected, jakarta.real.excluded, jakarta.what_if.selected) == (7, 4, 8)
    assert jakarta.what_if.reasons["NOT_SELECTED_HOUSEHOLD"] == 2 and jakarta.real.reasons["NOT_SELECTED_QUOTA"] == 3
    assert rows["33"].joined == 0 and rows["33"].what_if.quota == 9 and rows["33"].real.quota == 0
    everything = total(rows.values())
    assert (everything.joined, everything.in_both, everything.real.selected, everything.what_if.quota) == (
        15,
        9,
        11,
        20,
    )
