"""The permission groups that make a login a BCU manager, a council reader, a force lead or the data
protection officer, and the helper data migrations use to give a group its model permissions."""

from collections.abc import Iterable

BCU_MANAGER_GROUP = "BCU manager"
COUNCIL_READER_GROUP = "Council reader"
# Staff who invite officers to the portal (invitations/), and remove an officer's portal login.
FORCE_LEAD_GROUP = "Force lead"
# Staff who answer for data protection: they export the concern access log from the admin.
DATA_PROTECTION_OFFICER_GROUP = "Data protection officer"
ALL_ACTIONS = ("view", "add", "change", "delete")


def grant_group_model_permissions(
    apps, group_name: str, models: Iterable[tuple[str, str]], actions: Iterable[str] = ALL_ACTIONS
) -> None:
    """Give ``group_name`` the ``actions`` permissions on each (app_label, model_name).

    Permissions are normally created after all migrations run (post_migrate), so they are
    created here first; the call is idempotent.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    actions = tuple(actions)
    for app_label, model_name in models:
        codenames = [f"{action}_{model_name}" for action in actions]
        perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions not found for {app_label}: {sorted(missing)}")
        group.permissions.add(*perms)
