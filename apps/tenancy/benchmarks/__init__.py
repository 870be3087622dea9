"""Benchmarks of provisioning (``manage.py benchmark provisioning``); the per-request
cost at scale drives staff requests and lives in apps/shell/benchmarks."""
