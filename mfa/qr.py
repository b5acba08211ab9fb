"""The QR code of an authenticator key, drawn on the server as inline SVG: no image request, no
external service, no script, and no style attribute for a Content-Security-Policy to refuse."""

from base64 import b32encode

import segno
from django.utils.safestring import SafeString, mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice


def secret_for_typing(device: TOTPDevice) -> str:
    """The key as authenticator apps take it typed in: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_code_svg(device: TOTPDevice) -> SafeString:
    """An ``<svg>`` of the device's ``otpauth://`` address, black on white with its quiet zone."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=4,
        dark="#0b0c0c",
        light="#ffffff",
        title="QR code for your authenticator app",
        svgclass="app-qr-code",
        lineclass=None,
        omitsize=False,
    )
    # segno escapes the address and the title; the markup is its own.
    return mark_safe(svg)  # noqa: S308
