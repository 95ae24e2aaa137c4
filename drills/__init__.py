"""Fault drills: the whole lifecycle over the API while real processes are killed, stopped and restarted."""
