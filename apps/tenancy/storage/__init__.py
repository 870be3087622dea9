"""Where hospital databases live (see base.py): SQLite files or PostgreSQL servers."""
