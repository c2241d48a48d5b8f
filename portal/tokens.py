"""Random tokens for links sent by mail, and the hash that is stored instead of them."""

from __future__ import annotations

import hashlib
import hmac
import secrets


def new_token() -> str:
    """A URL-safe random token of 256 bits."""
    return secrets.token_urlsafe(32)


def digest(token: str) -> str:
    """The SHA-256 of a token; only this is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def keyed_digest(key: str, value: str) -> str:
    """HMAC-SHA-256 for short secrets (codes) that a plain hash would not protect."""
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)
