"""Training quality: course review in three layers, monitoring bodies and sanctions (issue 25)."""
