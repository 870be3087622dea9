"""Wards and admissions' pages, one module per screen or job (see each module)."""
