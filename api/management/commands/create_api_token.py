"""Issue a bearer token for a council API client, printing its secret once."""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from api.models import ApiClient
from api.services import issue_api_token


class Command(BaseCommand):
    help = "Issue an API token for an existing council client; the secret is printed once and never stored."

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help="Name of the API client (see the admin).")
        parser.add_argument("--days", type=int, default=365, help="Days until the token expires (default 365).")

    def handle(self, *args, client: str, days: int, **options):
        try:
            api_client = ApiClient.objects.get(name=client)
        except ApiClient.DoesNotExist as error:
            names = ", ".join(ApiClient.objects.values_list("name", flat=True)) or "none yet"
            raise CommandError(f"No API client named {client!r} (clients: {names}).") from error
        if days < 1:
            raise CommandError("--days must be at least 1.")
        try:
            token, secret = issue_api_token(client=api_client, lifetime=datetime.timedelta(days=days))
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Token {token.prefix}… for {api_client.name}, expires {token.expires_at:%d %b %Y}.")
        self.stdout.write("Secret (shown once, store it now):")
        self.stdout.write(secret)
