"""Seeds the integrity view's read model set-based (one INSERT … SELECT over generate_series), as migration 0020's
triggers would have kept it for N trainings: ``case_trainings`` rows, then ``training_stats`` rebuilt from them
(``adapters.db.integrity.REBUILD_STATS``), then TRAINING complaints through the real complaints trigger.

Providers are skewed (the first holds ~4.5% of 1M trainings), 8 courses each (6 webinars of 4 sessions, 2 self-paced),
statuses 3% cancelled / 7% in training / 5% not certified / 85% certified, tasks on half the courses, ratings mostly
4–5 stars. Planted, so that a reader can check the flags find them: ``lpk-0003`` redeems 30% of its trainings within
minutes (RUSHED_ATTENDANCE), ``lpk-0005``'s course ``c1`` has one in five trainings redeemed at the same seconds
(IDENTICAL_TIMINGS), ``lpk-0008`` passes few tasks, ``lpk-0009`` is rated low, ``lpk-0011`` draws complaints.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from adapters.db.integrity import REBUILD_STATS

_SEED = """
INSERT INTO case_trainings (voucher_code, case_id, provider_code, course_code, platform_code, status, price,
    purchased_at, sessions, attended, first_redeem_at, last_redeem_at, timing_key, rushed, tasks, tasks_passed,
    tasks_revised, tasks_lapsed, rating, cancelled)
SELECT voucher, case_id, provider, provider || '-c' || c, 'dp-' || (p % 6), status, 1000000 + 50000 * c, bought,
       sessions, attended,
       CASE WHEN attended > 0 THEN first_at END,
       CASE WHEN attended > 0 THEN first_at + make_interval(secs => gap * GREATEST(attended - 1, 0)) END,
       CASE WHEN attended >= 2 THEN (SELECT string_agg(CAST(CAST(extract(epoch FROM first_at) AS bigint) + k * gap
                                                       AS text), ',' ORDER BY k)
                                     FROM generate_series(0, attended - 1) AS k) END,
       attended >= 2 AND gap * (attended - 1) <= 600,
       tasks, CASE WHEN status = 'CERTIFIED' AND p <> 8 THEN tasks ELSE tasks * CAST(i % 3 = 0 AS int) / 2 END,
       CASE WHEN i % 7 = 0 THEN LEAST(tasks, 1) ELSE 0 END,
       CASE WHEN status = 'NOT_CERTIFIED' AND tasks > 0 THEN 1 ELSE 0 END,
       CASE WHEN status = 'CERTIFIED' AND i % 4 <> 0
            THEN CASE WHEN p = 9 THEN 1 + CAST(i % 3 AS int) ELSE 5 - CAST(i % 13 / 5 AS int) END END,
       CASE WHEN status = 'CANCELLED' THEN 'TRANSACTION' END
FROM (
  SELECT i, p, c, 'V' || lpad(CAST(i AS text), 9, '0') AS voucher, md5('case-' || i) AS case_id,
         'lpk-' || lpad(CAST(p AS text), 4, '0') AS provider, status, bought,
         CASE WHEN c < 6 THEN 4 ELSE 0 END AS sessions,
         CASE WHEN status = 'CANCELLED' THEN 0 WHEN c >= 6 THEN 1
              WHEN status IN ('NOT_CERTIFIED', 'IN_TRAINING') THEN 2 ELSE 4 END AS attended,
         CASE WHEN p = 5 AND c = 1 AND i % 5 = 1 THEN TIMESTAMPTZ '2026-04-10 02:00:00+00'
              ELSE bought + interval '1 day' + make_interval(secs => (i * 2246822519) % 86400) END AS first_at,
         CASE WHEN p = 3 AND i % 10 < 3 THEN 120 ELSE 86400 * 2 END AS gap,
         CASE WHEN c < 4 THEN 2 ELSE 0 END AS tasks
  FROM (
    SELECT i, p, c, bought,
           CASE WHEN u < 0.03 THEN 'CANCELLED' WHEN u < 0.10 THEN 'IN_TRAINING'
                WHEN u < 0.15 OR (p = 8 AND u < 0.5) THEN 'NOT_CERTIFIED' ELSE 'CERTIFIED' END AS status
    FROM (
      SELECT i, CAST(floor(:providers * u1 * u1) AS int) AS p, CAST(i % 8 AS int) AS c,
             ((i * 40503) % 65536) / 65536.0 AS u,
             TIMESTAMPTZ '2026-01-01 00:00:00+00' + make_interval(days => CAST((i * 48271) % 2147483647 % 300 AS int))
               AS bought
      FROM (SELECT i, ((i * 2654435761) % 4294967296) / 4294967296.0 AS u1  -- uniform-looking in [0, 1)
            FROM generate_series(CAST(1 AS bigint), :n) AS i) AS r
    ) AS a
  ) AS b
) AS g
"""

_COMPLAINTS = """
INSERT INTO complaints (id, case_id, province_code, request_id, category, text, filed_at, sla_due_at, status)
SELECT 'bench-' || voucher_code, case_id, '32', 'bench-' || voucher_code, 'TRAINING', 'Pelatihan tidak sesuai.',
       purchased_at + interval '5 days', purchased_at + interval '8 days', 'OPEN'
FROM case_trainings
WHERE CAST(substr(voucher_code, 2) AS bigint) % 40 = 0 OR (provider_code = 'lpk-0011' AND voucher_code LIKE '%3')
"""


async def seed(conn: AsyncConnection, n: int, providers: int) -> int:
    """Seed ``n`` trainings of ``providers`` providers (and their complaints); returns the complaints filed."""
    await conn.execute(text(_SEED), {"n": n, "providers": providers})
    await conn.execute(text(REBUILD_STATS))
    filed = await conn.execute(text(_COMPLAINTS))
    return filed.rowcount
