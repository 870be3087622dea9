"""Hashing for machine-generated temporary passwords."""

from __future__ import annotations

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class TemporaryPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with few iterations, only for the random temporary passwords we generate.

    Key stretching exists to protect low-entropy, person-chosen passwords. A temporary
    password is 16 random characters from 62 (95 bits): trying them all costs 2**95
    hashes whatever the iteration count, so stretching adds nothing there — but it cost
    ~0.2 s on every hospital provisioned and every login made. The user must replace
    it at the first sign-in, and Django re-hashes it with the preferred (scrypt) hasher
    the moment it is first used.
    """

    algorithm = "pbkdf2_sha256_temporary"
    iterations = 1_000
