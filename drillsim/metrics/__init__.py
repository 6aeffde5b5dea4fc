"""Metrics: pure functions from a run's records to tables and figures."""
