"""Stage 9, staff: operator actions with four-eyes approval, complaints, and their ports."""
