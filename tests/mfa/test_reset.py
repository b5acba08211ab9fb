"""A lost phone: an administrator resets the person's MFA from the admin (or an operator from the
command line), the person sets up a new app at their next sign-in, and every reset is recorded."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from mfa.models import MFAReset
from mfa.services import replace_recovery_codes
from tests.factories.mfa import authenticator, verified_login
from tests.factories.officers import BCUManagerFactory, UserFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:auth_user_changelist"


@pytest.fixture
def administrator(db):
    return UserFactory(username="administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def lost_phone(db):
    user = UserFactory(username="lost-phone", first_name="Lou", last_name="Stone")
    authenticator(user)
    replace_recovery_codes(user=user)
    return user


def _reset(client, *users, confirm: bool = True):
    data = {"action": "reset_mfa", "_selected_action": [user.pk for user in users]}
    if confirm:
        data["confirm"] = "yes"
    return client.post(reverse(CHANGELIST), data)


def test_the_reset_asks_for_confirmation_first(client, administrator, lost_phone):
    verified_login(client, administrator)

    response = _reset(client, lost_phone, confirm=False)

    assert response.status_code == 200
    assert "Yes, reset MFA" in response.content.decode()
    assert "lost-phone (Lou Stone)" in response.content.decode()
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not MFAReset.objects.exists()


def test_an_administrator_resets_mfa_and_the_reset_is_recorded(client, administrator, lost_phone):
    verified_login(client, administrator)

    response = _reset(client, lost_phone)

    assert urlsplit(response.url).path == reverse(CHANGELIST)
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not StaticDevice.objects.filter(user=lost_phone).exists()
    assert not StaticToken.objects.filter(device__user=lost_phone).exists()
    reset = MFAReset.objects.get()
    assert (reset.user, reset.username, reset.reset_by, reset.reset_by_username, reset.via, reset.devices_removed) == (
        lost_phone,
        "lost-phone",
        administrator,
        "administrator",
        MFAReset.Via.ADMIN,
        2,
    )
    entry = LogEntry.objects.get(object_id=str(lost_phone.pk))
    assert entry.user == administrator and "Reset MFA" in entry.get_change_message()
    # The administrator still has their own app and session.
    assert TOTPDevice.objects.filter(user=administrator).exists()


def test_after_a_reset_the_person_sets_up_a_new_app(client, administrator, lost_phone):
    verified_login(client, administrator)
    _reset(client, lost_phone)
    client.logout()

    client.post(reverse("login"), {"username": "lost-phone", "password": "correct-horse-battery"})
    response = client.get("/portal/")

    assert urlsplit(response.url).path == reverse("mfa:setup")


def test_a_reset_ends_the_verification_of_the_persons_open_sessions(client, administrator, lost_phone):
    from django.test import Client

    theirs = verified_login(Client(), lost_phone)
    assert theirs.get(reverse("mfa:recovery-codes")).status_code == 200
    verified_login(client, administrator)
    _reset(client, lost_phone)

    response = theirs.get(reverse("mfa:recovery-codes"))

    assert urlsplit(response.url).path == reverse("mfa:setup")


def test_administrators_see_every_reset(client, administrator, lost_phone):
    verified_login(client, administrator)
    _reset(client, lost_phone)

    listing = client.get(reverse("admin:mfa_mfareset_changelist")).content.decode()

    assert "lost-phone" in listing and "administrator" in listing
    assert client.get(reverse("admin:mfa_mfareset_change", args=[MFAReset.objects.get().pk])).status_code == 200


def test_the_user_list_shows_who_has_set_up_mfa(client, administrator, lost_phone):
    UserFactory(username="not-yet")
    verified_login(client, administrator)

    response = client.get(reverse(CHANGELIST), {"mfa": "no"})

    usernames = {user.username for user in response.context["cl"].result_list}
    assert usernames == {"not-yet"}


def test_the_user_list_query_count_does_not_grow_with_users(client, administrator, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    verified_login(client, administrator)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(CHANGELIST))
    for _ in range(5):
        authenticator(UserFactory())

    with django_assert_num_queries(len(few)):
        client.get(reverse(CHANGELIST))


def test_a_bcu_manager_cannot_reset_mfa_nor_read_the_resets(client, lost_phone):
    manager = BCUManagerFactory(username="manager")
    verified_login(client, manager)

    assert _reset(client, lost_phone).status_code == 403
    assert client.get(reverse("admin:mfa_mfareset_changelist")).status_code == 403
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not MFAReset.objects.exists()


def test_staff_with_rights_on_users_but_not_administrators_cannot_reset_mfa(client, lost_phone):
    staff = UserFactory(username="user-clerk", is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_user", "change_user"]))
    verified_login(client, staff)

    listing = client.get(reverse(CHANGELIST))
    response = _reset(client, lost_phone)

    assert listing.status_code == 200
    assert "reset_mfa" not in listing.content.decode()
    assert response.status_code in (200, 302)
    assert TOTPDevice.objects.filter(user=lost_phone).exists()
    assert not MFAReset.objects.exists()


def test_nobody_reads_authenticator_keys_or_recovery_codes_in_the_admin(client, administrator):
    from django.contrib import admin

    assert TOTPDevice not in admin.site._registry
    assert StaticDevice not in admin.site._registry


def test_an_operator_resets_mfa_from_the_command_line(lost_phone):
    out = StringIO()

    call_command("reset_mfa", "lost-phone", stdout=out)

    assert "MFA reset for lost-phone: 2 devices removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=lost_phone).exists()
    reset = MFAReset.objects.get()
    assert (reset.username, reset.reset_by, reset.reset_by_username, reset.via) == (
        "lost-phone",
        None,
        "",
        MFAReset.Via.COMMAND,
    )


def test_the_reset_record_outlives_the_login(lost_phone):
    call_command("reset_mfa", "lost-phone", stdout=StringIO())

    lost_phone.delete()

    reset = MFAReset.objects.get()
    assert reset.user is None and reset.username == "lost-phone"
