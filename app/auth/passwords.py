"""Password hashing with argon2id (argon2-cffi's recommended parameters) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import LazyString

from app.i18n import _l

_hasher = PasswordHasher()

#: Length beats composition rules: twelve characters, any characters (a passphrase is welcome).
MIN_PASSWORD_LENGTH = 12
#: Hashing megabytes would tie up a worker; nobody types a password this long.
MAX_PASSWORD_LENGTH = 1000


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, email: str) -> LazyString | None:
    """Why `password` may not be used by the account `email`, or None if it may.

    The message is translated when it is turned into a string (under `force_locale` outside a
    request).
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        return _l("Use at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
    if len(password) > MAX_PASSWORD_LENGTH:
        return _l("Use at most %(num)d characters.", num=MAX_PASSWORD_LENGTH)
    if password.strip().lower() == email.strip().lower():
        return _l("Do not use your e-mail address as your password.")
    return None
