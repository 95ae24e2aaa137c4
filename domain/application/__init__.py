"""Stage 1, application: the form and its structural checks, the government registries, eligibility."""
