"""Load the fictional demo data set (idempotent: a second run changes nothing)."""

import importlib
import random

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from officers.demo import DEMO_MANAGER_PASSWORD, DEMO_MANAGER_USERNAME

# A fixed seed: the same data on every machine, every run.
DEMO_SEED = 2026


class Command(BaseCommand):
    help = "Load a realistic, wholly fictional demo data set. Safe to run more than once."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Run even with DEBUG off (never on live data)."
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError("Refusing to load demo data with DEBUG off; pass --allow-production to insist.")
        rng = random.Random(DEMO_SEED)
        demo_logins = []
        with transaction.atomic():
            # Each app may contribute a demo.py with load_demo_<app>(rng), run in
            # INSTALLED_APPS order so later apps can build on earlier ones.
            for app_config in apps.get_app_configs():
                try:
                    module = importlib.import_module(f"{app_config.name}.demo")
                except ModuleNotFoundError as error:
                    if error.name != f"{app_config.name}.demo":
                        raise
                    continue
                loader = getattr(module, f"load_demo_{app_config.label}")
                created = loader(rng)
                demo_logins += getattr(module, "DEMO_LOGINS", [])
                summary = ", ".join(f"{count} {what}" for what, count in created.items())
                self.stdout.write(f"{app_config.verbose_name}: created {summary}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Admin login: {DEMO_MANAGER_USERNAME} / {DEMO_MANAGER_PASSWORD} "
                "at http://127.0.0.1:8000/admin/"
            )
        )
        # Apps list further demo logins as DEMO_LOGINS = [(username, password, who), ...] in demo.py.
        for username, password, who in demo_logins:
            self.stdout.write(f"Demo login ({who}): {username} / {password}")
