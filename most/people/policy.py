"""Who may see and change persons, households and consents.

A person's record belongs to the organisation that registered it. Another organisation sees it
only through an active access grant (an accepted referral, an emergency), and only the fields the
grant names. Households and consents are never shared.
"""

from django.db.models import Q
from django.utils import timezone

from most.accounts.policy import Action, can

from .models import AccessGrant, Consent, Household, Person, PersonSearchKey

# Fields every grant shares, so that the receiving organisation knows whom it is helping.
IDENTITY_FIELDS = ("given_name", "family_name", "given_name_latin", "family_name_latin")


def active_grants():
    today = timezone.localdate()
    return AccessGrant.objects.filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=today),
        revoked_at__isnull=True,
    ).filter(
        # A grant shares only while the consent it rests on holds: an expired consent ends it
        # as a withdrawn one does (withdrawal also revokes the grant, in the same transaction).
        Q(consent__isnull=True)
        | Q(consent__withdrawn_on__isnull=True)
        & (Q(consent__expires_on__isnull=True) | Q(consent__expires_on__gte=today))
    )


def _in_use(member):
    """Persons not erased; a restricted one only for the data protection contact of the
    organisation that keeps the record (a restriction also stops every sharing)."""
    persons = Person.objects.filter(erased_at__isnull=True)
    if can(member, Action.DATA_PROTECTION):
        return persons.filter(
            Q(restricted_at__isnull=True) | Q(organisation=member.organisation_id)
        )
    return persons.filter(restricted_at__isnull=True)


def persons_visible_to(member):
    """Persons the member may read: their organisation's own, and those granted to it."""
    if not can(member, Action.PERSON_VIEW):
        return Person.objects.none()
    granted = active_grants().filter(organisation=member.organisation_id).values("person_id")
    return _in_use(member).filter(Q(organisation=member.organisation_id) | Q(pk__in=granted))


def persons_owned_by(member):
    """The member's organisation's own persons (what lists and search show)."""
    if not can(member, Action.PERSON_VIEW):
        return Person.objects.none()
    return _in_use(member).filter(organisation=member.organisation_id)


def search_keys_owned_by(member):
    """The search keys of the member's organisation's own persons."""
    if not can(member, Action.PERSON_VIEW):
        return PersonSearchKey.objects.none()
    return PersonSearchKey.objects.filter(organisation=member.organisation_id)


def searchable_organisation(member):
    """The organisation whose persons' search keys the member may search, or None."""
    return member.organisation_id if can(member, Action.PERSON_VIEW) else None


def person_fields_visible_to(member, person) -> set[str] | None:
    """None means every field (own record); otherwise the fields the grants share."""
    if person.organisation_id == member.organisation_id:
        return None
    fields = set(IDENTITY_FIELDS)
    for grant in active_grants().filter(organisation=member.organisation_id, person=person):
        fields.update(grant.fields)
    return fields


def can_view_persons(member) -> bool:
    return can(member, Action.PERSON_VIEW)


def can_export_persons(member) -> bool:
    return can(member, Action.PERSON_EXPORT)


def can_register_person(member) -> bool:
    return can(member, Action.PERSON_CREATE)


def is_in_use(person) -> bool:
    """Neither erased nor restricted: the record may change and be shared."""
    return person.erased_at is None and person.restricted_at is None


def can_change_person(member, person) -> bool:
    # Only the owning organisation keeps the record; a grant never allows changes.
    return (
        can(member, Action.PERSON_CHANGE)
        and person.organisation_id == member.organisation_id
        and is_in_use(person)
    )


def can_view_consents(member, person) -> bool:
    # Consents stay with the organisation they were given to; a grant never shows them.
    return can(member, Action.PERSON_VIEW) and person.organisation_id == member.organisation_id


def is_own_record(member, person) -> bool:
    """The member's organisation keeps the record: every field is theirs to see."""
    return person.organisation_id == member.organisation_id


def can_manage_consents(member, person) -> bool:
    return (
        can(member, Action.CONSENT_MANAGE)
        and person.organisation_id == member.organisation_id
        and person.erased_at is None
    )


def can_share_person(member, person) -> bool:
    # A restricted record is shared with nobody (GDPR Art. 18), a new consent is not recorded.
    return can_manage_consents(member, person) and is_in_use(person)


def households_visible_to(member):
    if not can(member, Action.PERSON_VIEW):
        return Household.objects.none()
    return Household.objects.filter(organisation=member.organisation_id)


def can_manage_household(member, household=None) -> bool:
    if not can(member, Action.HOUSEHOLD_MANAGE):
        return False
    # One organisation's household holds only its own persons (checked again in services).
    return household is None or household.organisation_id == member.organisation_id


def can_see_reminders(member) -> bool:
    # Whoever keeps the records is reminded of what ends in them.
    return can(member, Action.PERSON_CHANGE)


def consents_kept_by(member):
    """The consents given to the member's organisation, for those who keep its records."""
    if not can(member, Action.CONSENT_MANAGE):
        return Consent.objects.none()
    return Consent.objects.filter(
        organisation=member.organisation_id, person__organisation=member.organisation_id
    )


def can_view_statistics(member) -> bool:
    return can(member, Action.STATISTICS_VIEW)


def can_view_history(member, person) -> bool:
    """The record's history (its audit entries) is the keeping organisation's, like its
    consents; a grant never shows it."""
    return can(member, Action.PERSON_VIEW) and is_own_record(member, person)


def is_data_protection_contact(member, person) -> bool:
    return can(member, Action.DATA_PROTECTION) and is_own_record(member, person)
