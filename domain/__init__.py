"""Pure programme rules: no I/O, no clock, no frameworks (see import-linter contracts)."""
