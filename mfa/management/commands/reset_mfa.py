"""Reset a person's MFA from the command line: for when no administrator can sign in to do it
(the only superuser lost their phone). Recorded like a reset in the admin."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mfa.models import MFAReset
from mfa.services import reset_mfa


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes; they set up a new app at their next sign-in."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist as error:
            raise CommandError(f"No user {username!r}.") from error
        reset = reset_mfa(user=user, reset_by=None, via=MFAReset.Via.COMMAND)
        self.stdout.write(
            f"MFA reset for {username}: {reset.devices_removed} devices removed. "
            "They set up an authenticator app at their next sign-in."
        )
