"""Stage 3, waves (gelombang): lifecycle, joining, the auditable lottery, and their ports."""
