"""Operator actions with four-eyes approval and the audit log (staff schema)."""
