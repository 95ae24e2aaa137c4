"""Stage 7, incentives: the schedule, tranches, transfers, settlement, reconciliation; messages, ports."""
