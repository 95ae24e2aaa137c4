"""Stage 8, clawback after an audit: the saga's steps and the receivable."""
