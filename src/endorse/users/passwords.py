"""Password hashing with argon2id (argon2-cffi), off the event loop.

A deliberately slow hash (~50 ms, 64 MiB) is what makes a stolen table useless; running it in
a thread keeps one sign-in from stalling every other request of the process.
"""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()
# verified when the name is unknown, so a wrong name costs as long as a wrong password and
# the timing does not tell which names exist
_DUMMY = _HASHER.hash("no such account")

MIN_LENGTH = 8
MAX_LENGTH = 1000


def problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    return None


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_HASHER.hash, password)


def _verify(stored: str | None, password: str) -> tuple[bool, bool]:
    try:
        _HASHER.verify(stored or _DUMMY, password[:MAX_LENGTH])
    except (VerificationError, InvalidHashError):
        return False, False
    return stored is not None, stored is not None and _HASHER.check_needs_rehash(stored)


async def verify_password(stored: str | None, password: str) -> tuple[bool, bool]:
    """(matches, needs_rehash); `stored` None means no such account (always False)."""
    return await asyncio.to_thread(_verify, stored, password)
