"""Workflows: filing, service, mediation, hearings … (each one independent of the others)."""
