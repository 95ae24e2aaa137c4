"""Conformance kit for the official Prakerja partner REST API: ``python -m partnerkit check --help``."""
