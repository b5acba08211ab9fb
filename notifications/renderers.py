"""Bodies completed when an e-mail is sent, for the few whose record must not hold the whole text.

An invitation's e-mail carries a single-use link whose secret is never stored: its delivery
records the message with the link left out, and the invitations app registers a renderer that
derives the link again at send time. A renderer returns None when the message is no longer to be
sent (the invitation was withdrawn or accepted meanwhile); the delivery is then cancelled.
"""

from __future__ import annotations

from collections.abc import Callable

from notifications.models import Delivery

BodyRenderer = Callable[[Delivery], str | None]
BODY_RENDERERS: dict[str, BodyRenderer] = {}


def body_renderer(kind: str) -> Callable[[BodyRenderer], BodyRenderer]:
    """Register the renderer of one kind's bodies (``@body_renderer("invitation")``)."""

    def register(renderer: BodyRenderer) -> BodyRenderer:
        if kind in BODY_RENDERERS:
            raise ValueError(f"A body renderer for {kind!r} is already registered")
        BODY_RENDERERS[kind] = renderer
        return renderer

    return register


def body_to_send(delivery: Delivery) -> str | None:
    """The text to send: the recorded body, or what the kind's renderer makes of it (None: do not send)."""
    renderer = BODY_RENDERERS.get(delivery.kind)
    return delivery.body if renderer is None else renderer(delivery)
