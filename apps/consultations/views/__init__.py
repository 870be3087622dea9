"""The doctor's pages, one module per screen or job (see each module)."""
