"""A system check: without its middleware, MFA would silently stop protecting any page."""

from django.conf import settings
from django.core.checks import Error, register

OTP_MIDDLEWARE = "django_otp.middleware.OTPMiddleware"
MFA_MIDDLEWARE = "mfa.middleware.MFARequiredMiddleware"


@register()
def mfa_middleware_installed(app_configs, **kwargs):
    middleware = list(settings.MIDDLEWARE)
    if MFA_MIDDLEWARE not in middleware:
        return [Error(f"{MFA_MIDDLEWARE} is not in MIDDLEWARE: no page would ask for a second factor.", id="mfa.E001")]
    if OTP_MIDDLEWARE not in middleware or middleware.index(OTP_MIDDLEWARE) > middleware.index(MFA_MIDDLEWARE):
        return [Error(f"{OTP_MIDDLEWARE} must come before {MFA_MIDDLEWARE} in MIDDLEWARE.", id="mfa.E002")]
    return []
