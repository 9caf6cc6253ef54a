"""The one exception tree of hotline.

    HotlineError
     +-- ProtocolError                 something broke a rule of the channel protocol
     |    +-- LocalProtocolError       we (our own code or operator) asked for something invalid
     |    +-- RemoteProtocolError      a peer sent something invalid; the connection state is kept
     +-- KeyMaterialError              key material is missing, malformed, weak or locked
     +-- CatalogueError                a notification does not validate against its type
     +-- EngineInputError              tracks or volumes that cannot be screened
     +-- FeedError                     a track feed line that cannot be decoded

Each subpackage defines its precise subclasses next to the code that raises them, always
deriving from one of these. Every error carries a message that says what was wrong and, where an
operator can act, how to fix it.
"""

from __future__ import annotations


class HotlineError(Exception):
    """Base of every error hotline raises on purpose."""


class ProtocolError(HotlineError):
    """A rule of the channel protocol was broken."""


class LocalProtocolError(ProtocolError):
    """Our side asked the protocol for something invalid (a bug or an operator mistake)."""


class RemoteProtocolError(ProtocolError):
    """A peer sent something invalid: bad bytes, bad signature, broken chain, ..."""


class KeyMaterialError(HotlineError):
    """Key material is missing, malformed, weak, or cannot be decrypted."""


class CatalogueError(HotlineError):
    """A notification does not validate against its catalogue type."""


class EngineInputError(HotlineError):
    """Tracks or volumes given to the engine cannot be used."""


class FeedError(HotlineError):
    """A line of a track feed cannot be decoded."""
