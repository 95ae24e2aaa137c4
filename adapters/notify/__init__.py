"""Sending notifications: the SMS / e-mail gateway and the outbox dispatcher."""
