"""API keys for model servers: in the system keyring, never in settings.toml or a log.

``keyring`` picks the platform's store (Secret Service on Linux desktops, the macOS
Keychain, Windows Credential Locker). Where none exists (a bare server, a container) a
key is kept for this session only, and ``save_key`` says so by returning False. The
environment variable ``WORDLOOM_API_KEY`` overrides both (scripts, CI).
"""

from __future__ import annotations

import logging
import os

SERVICE = "wordloom-model-server"
ENV = "WORDLOOM_API_KEY"
log = logging.getLogger("wordloom.keys")
_session: dict[str, str] = {}


def _account(url: str) -> str:
    return url.rstrip("/")


def keyring_available() -> bool:
    """Whether a real keyring stores keys here (not the 'fail' or 'null' stand-ins)."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration is the same as none
        return False
    return not isinstance(backend, fail.Keyring | null.Keyring) and backend.priority > 0


def save_key(url: str, key: str) -> bool:
    """Keep ``key`` for the server at ``url``; True when the keyring holds it, False when
    only this session does. An empty key removes it."""
    account = _account(url)
    _session.pop(account, None)
    if keyring_available():
        import keyring

        try:
            if key:
                keyring.set_password(SERVICE, account, key)
            else:
                try:
                    keyring.delete_password(SERVICE, account)
                except keyring.errors.PasswordDeleteError:
                    pass
            return True
        except keyring.errors.KeyringError as exc:
            log.warning("the keyring refused the key (%s); keeping it for this session",
                        type(exc).__name__)
    if key:
        _session[account] = key
    return False


def load_key(url: str) -> str:
    """The key for the server at ``url``, or "" when there is none."""
    if os.environ.get(ENV):
        return os.environ[ENV]
    account = _account(url)
    if account in _session:
        return _session[account]
    if keyring_available():
        import keyring

        try:
            return keyring.get_password(SERVICE, account) or ""
        except keyring.errors.KeyringError:
            return ""
    return ""
