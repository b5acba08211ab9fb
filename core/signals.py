"""Signals shared across layers.

``bulk_saved`` is sent after a bulk write that bypasses the per-row save signals (and so the
history signal), with ``sender`` the model and ``objs`` the saved instances: an upper layer that
follows changes (the council API's change feed) listens to it instead of the lower app knowing
about that layer.
"""

from django.dispatch import Signal

bulk_saved = Signal()
