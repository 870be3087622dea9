"""Benchmarks of provisioning and of per-request cost at scale (manage.py benchmark)."""
