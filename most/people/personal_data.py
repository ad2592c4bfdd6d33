"""The personal data the people app holds, for the data subject's export and erasure.

Erasure anonymises the person in place: the row stays with what the counts need (year of birth,
sex, country of origin, citizenship, residence status, municipality, dates kept to the month),
everything that names or reaches the person goes, and so do their search keys, the words of the
search vocabulary no other person has, and every grant that shared them.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from most.audit.personal_data import register

from .models import (
    AccessGrant,
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonLanguage,
    PersonSearchKey,
    PersonVulnerability,
    Situation,
)
from .services import search_vocabulary_forget

CASEWORK = _("Registering and supporting the persons the organisation helps to integrate")
CONSENT_OR_TASK = _(
    "Consent (GDPR Art. 6(1)(a), 9(2)(a)); a task in the public interest where the organisation "
    "has one by law (Art. 6(1)(e))"
)
UNTIL_ERASED = _("While the person is supported, then until erasure is asked for or due")


def _month(moment):
    return moment.replace(day=1) if moment else moment


def person_erase(person) -> list[str]:
    """Anonymise the person's own record and what hangs on it (the eraser of people.person);
    returns the audit subjects whose keys go with the person's (an anonymised household)."""
    keys = set(PersonSearchKey.objects.filter(person=person).values_list("key", flat=True))
    PersonSearchKey.objects.filter(person=person).delete()
    search_vocabulary_forget(person.organisation_id, keys)
    PersonAlias.objects.filter(person=person).delete()
    PersonLanguage.objects.filter(person=person).delete()
    PersonVulnerability.objects.filter(person=person).delete()
    now = timezone.now()
    AccessGrant.objects.filter(person=person, revoked_at__isnull=True).update(revoked_at=now)
    Consent.objects.filter(person=person).update(
        scope="", evidence_reference="", withdrawal_note=""
    )
    # The situation stays for the counts of outcomes; what could name the person goes.
    for situation in Situation.objects.filter(person=person):
        Situation.objects.filter(pk=situation.pk).update(
            since=_month(situation.since), school="", note=""
        )
    subjects = _leave_household(person)
    Person.objects.filter(pk=person.pk).update(
        given_name="",
        family_name="",
        given_name_latin="",
        family_name_latin="",
        sort_name="",
        birth_date=None,
        residence_valid_from=_month(person.residence_valid_from),
        residence_valid_until=_month(person.residence_valid_until),
        address="",
        phone="",
        phone_digits="",
        email="",
        preferred_language="",
        restriction_reason="",
        legal_hold_reason="",
        legal_hold_until=None,
        created_at=_month(person.created_at),
        updated_at=now,
        erased_at=now,
        version=person.version + 1,
    )
    return subjects


def _leave_household(person):
    """Out of their household; a household left with nobody but erased persons goes (its name
    is usually the family's)."""
    row = HouseholdMember.objects.filter(person=person).first()
    if row is None:
        return []
    row.delete()
    household = row.household_id
    if HouseholdMember.objects.filter(household=household, person__erased_at=None).exists():
        return []
    Household.objects.filter(pk=household).delete()
    return [f"household:{household}"]


def register_people():
    common = {"purpose": CASEWORK, "legal_basis": CONSENT_OR_TASK, "retention": UNTIL_ERASED}
    register(
        Person,
        person="pk",
        categories=_(
            "Names in every script, date of birth, sex, country of origin, citizenship, "
            "residence status and its dates, Slovenian level, address, phone, e-mail, "
            "preferred language"
        ),
        recipients=_("Other organisations of the network, through an accepted referral only"),
        erase=person_erase,
        exclude=("sort_name", "phone_digits", "version"),
        # Health, trauma, disability: the audit trail records that they changed, not how.
        sensitive=frozenset({"vulnerabilities"}),
        **common,
    )
    register(PersonAlias, person="person", categories=_("Other names"), **common)
    register(PersonLanguage, person="person", categories=_("Languages spoken"), **common)
    register(
        PersonVulnerability,
        person="person",
        categories=_("Vulnerabilities, including health (special category, Art. 9)"),
        **common,
    )
    register(
        PersonSearchKey,
        person="person",
        categories=_("Search keys derived from the names and the phone number"),
        exported=False,
        **common,
    )
    register(
        Situation,
        person="person",
        categories=_(
            "Situation over time: employment, social assistance, education, school and grade"
        ),
        **common,
    )
    register(
        Household,
        person="members__person",
        categories=_("Household name and address"),
        fields=("name", "municipality", "address"),
        **common,
    )
    register(
        HouseholdMember, person="person", categories=_("Relationship in the household"), **common
    )
    register(
        Consent,
        person="person",
        purpose=_("Proving the person's consents and their withdrawal"),
        categories=_("Consents: purpose, scope, dates, evidence"),
        legal_basis=_("Legal obligation to prove consent (GDPR Art. 7(1))"),
        retention=UNTIL_ERASED,
    )
    register(
        AccessGrant,
        person="person",
        purpose=_("Sharing with another organisation of the network"),
        categories=_("Which organisation may see which fields, until when"),
        legal_basis=_("Consent to sharing (GDPR Art. 6(1)(a))"),
        retention=UNTIL_ERASED,
        recipients=_("The organisation the grant names"),
    )
