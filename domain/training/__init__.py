"""Stage 5-6, training: the catalogue, purchases, attendance, certificates; messages, ports, views."""
