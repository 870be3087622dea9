"""Benchmarks that drive whole staff requests (``manage.py benchmark scale``): they use
accounts and the modules, so they live in the shell, not in tenancy."""
