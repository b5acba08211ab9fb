from mfa.checks import MFA_MIDDLEWARE, OTP_MIDDLEWARE, mfa_middleware_installed


def test_the_project_passes_the_check():
    assert mfa_middleware_installed(None) == []


def test_the_check_fails_without_the_mfa_middleware(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != MFA_MIDDLEWARE]

    assert [error.id for error in mfa_middleware_installed(None)] == ["mfa.E001"]


def test_the_check_fails_with_the_mfa_middleware_before_django_otps(settings):
    middleware = [m for m in settings.MIDDLEWARE if m != OTP_MIDDLEWARE]
    settings.MIDDLEWARE = [*middleware, OTP_MIDDLEWARE]

    assert [error.id for error in mfa_middleware_installed(None)] == ["mfa.E002"]
