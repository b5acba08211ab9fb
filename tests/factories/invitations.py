import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from core.groups import FORCE_LEAD_GROUP
from invitations.models import Invitation, InvitationKind
from invitations.tokens import hash_token, invitation_token

from .officers import OfficerFactory, UserFactory
from .schools import DSLContactFactory, SchoolFactory


class AdministratorFactory(UserFactory):
    is_staff = True
    is_superuser = True


class ForceLeadFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def in_force_lead_group(user, create, extracted, **kwargs):
        if create:
            user.groups.add(Group.objects.get(name=FORCE_LEAD_GROUP))


class InvitationFactory(factory.django.DjangoModelFactory):
    """A pending invitation of a member of staff, saved directly (the service also e-mails it);
    ``token_of(invitation)`` is its link's token."""

    class Meta:
        model = Invitation

    class Params:
        to_dsl_contact = factory.Trait(
            kind=InvitationKind.DSL_CONTACT, school=None, dsl_contact=factory.SubFactory(DSLContactFactory)
        )
        to_officer = factory.Trait(
            kind=InvitationKind.OFFICER, school=None, officer=factory.SubFactory(OfficerFactory)
        )
        expired = factory.Trait(
            created_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=8)),
            expires_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )

    email = factory.Sequence(lambda n: f"invited{n}@school.invalid")
    name = "Sam Teacher"
    kind = InvitationKind.SCHOOL_STAFF
    school = factory.SubFactory(SchoolFactory)
    invited_by = factory.SubFactory(AdministratorFactory)
    salt = factory.Sequence(lambda n: f"test-salt-{n:08d}")
    token_hash = factory.LazyAttribute(lambda invitation: hash_token(invitation_token(invitation)))
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda invitation: invitation.created_at + datetime.timedelta(days=7))


def token_of(invitation: Invitation) -> str:
    return invitation_token(invitation)
