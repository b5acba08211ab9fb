import datetime

import factory

from statements.models import SafeguardingStatement, StatementStatus

from .schools import SchoolFactory

SECTIONS_TEXT = {
    "services_to_children": "A primary school for pupils aged 4 to 11, with a breakfast club.",
    "commitment": "Every adult here keeps the children in our care safe from harm.",
    "risks_to_children": "Online contact by unknown adults; bullying; harm at home.",
    "measures_in_place": "A trained DSL and deputy; safer recruitment; online safety lessons.",
}


class DraftStatementFactory(factory.django.DjangoModelFactory):
    """A draft saved directly (in the portal only ``statements.services.save_draft`` makes one)."""

    class Meta:
        model = SafeguardingStatement

    school = factory.SubFactory(SchoolFactory)
    version = factory.Sequence(lambda n: n + 1)
    status = StatementStatus.DRAFT
    drafted_by = factory.SubFactory("tests.factories.officers.UserFactory")
    services_to_children = SECTIONS_TEXT["services_to_children"]
    commitment = SECTIONS_TEXT["commitment"]
    risks_to_children = SECTIONS_TEXT["risks_to_children"]
    measures_in_place = SECTIONS_TEXT["measures_in_place"]


class SignedStatementFactory(DraftStatementFactory):
    status = StatementStatus.SIGNED
    signed_by = factory.SubFactory("tests.factories.officers.UserFactory")
    signatory_name = "Morgan Ashby"
    signed_on = factory.LazyFunction(lambda: datetime.date(2026, 9, 1))
    review_due_on = factory.LazyAttribute(lambda o: SafeguardingStatement.review_due_after(o.signed_on))
    is_published = True
