"""Every change to persons, households and consents goes through these functions.

Each takes the acting member (a user working for one organisation), checks the policy, validates
the whole change before writing any of it, runs in one transaction and writes the audit trail.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from most.audit.models import AuditAction
from most.audit.services import audit_member, changes_between, snapshot
from most.lib import names
from most.lib.errors import Conflict, NotAllowed

from . import policy
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
    SearchVocabulary,
)

# The fields of a person that forms and the API may set.
PERSON_FIELDS = (
    "given_name",
    "family_name",
    "given_name_latin",
    "family_name_latin",
    "birth_date",
    "birth_year",
    "sex",
    "country_of_origin",
    "citizenship",
    "residence_status",
    "residence_valid_from",
    "residence_valid_until",
    "slovenian_level",
    "municipality",
    "address",
    "phone",
    "email",
    "preferred_language",
    "interpreter_needed",
)
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def _refuse_unknown_fields(fields):
    if unknown := set(fields) - set(PERSON_FIELDS):
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )


def _audit_values(person, aliases, languages, vulnerabilities):
    values = snapshot(person, PERSON_FIELDS)
    values["aliases"] = sorted(aliases)
    values["languages"] = sorted(languages)
    values["vulnerabilities"] = sorted(vulnerabilities)
    return values


def person_prepare(person):
    """Fill the derived fields and check what field validators cannot see alone."""
    errors = {}
    for field in ("given_name", "family_name", "given_name_latin", "family_name_latin"):
        setattr(person, field, " ".join((getattr(person, field) or "").split()))
    country = str(person.country_of_origin or "") or None
    for native, latin in (("given_name", "given_name_latin"), ("family_name", "family_name_latin")):
        if not getattr(person, latin) and not names.romanises_reliably(getattr(person, native)):
            errors[latin] = _(
                "Type the name in Latin letters as the person's documents spell it: "
                "it cannot be worked out reliably from Arabic script."
            )
    if not person.given_name_latin:
        person.given_name_latin = names.latin_form(person.given_name, country)[:100]
    if not person.family_name_latin:
        person.family_name_latin = names.latin_form(person.family_name, country)[:100]
    for field in ("given_name_latin", "family_name_latin"):
        if names.has_non_latin(getattr(person, field)):
            errors[field] = _("Use Latin letters only.")

    today = timezone.localdate()
    if person.birth_date:
        if person.birth_date > today:
            errors["birth_date"] = _("The date of birth cannot be in the future.")
        elif person.birth_date < EARLIEST_BIRTH:
            errors["birth_date"] = _("The date of birth cannot be before 1900.")
        elif person.birth_year and person.birth_year != person.birth_date.year:
            errors["birth_year"] = _("The year of birth does not match the date of birth.")
        else:
            person.birth_year = person.birth_date.year
    if person.birth_year is not None and not (
        EARLIEST_BIRTH.year <= person.birth_year <= today.year
    ):
        errors["birth_year"] = _("Enter a year between %(first)d and %(last)d.") % {
            "first": EARLIEST_BIRTH.year,
            "last": today.year,
        }
    if (
        person.residence_valid_from
        and person.residence_valid_until
        and person.residence_valid_until < person.residence_valid_from
    ):
        errors["residence_valid_until"] = _("The status cannot end before it starts.")
    person.email = (person.email or "").strip().lower()
    person.phone = (person.phone or "").strip()
    if person.phone and not all(c.isdigit() or c in " +-/()." for c in person.phone):
        errors["phone"] = _("A phone number may hold digits, spaces and + - / ( ) only.")
    person.phone_digits = names.phone_digits(person.phone)[:20]
    person.sort_name = " ".join(
        names.fold(part) for part in (person.family_name_latin, person.given_name_latin)
    )[:210]
    if errors:
        raise ValidationError(errors)


def _clean_aliases(aliases):
    cleaned = []
    for alias in aliases:
        name = " ".join((alias or "").split())
        if len(name) > 200:
            raise ValidationError({"aliases": _("An other name may have at most 200 characters.")})
        if name and name not in cleaned:
            cleaned.append(name)
    return cleaned


def person_search_keys(person, aliases=()) -> set[str]:
    """The search keys of a prepared person: every name word, its skeleton, the phone."""
    keys = names.name_keys(
        person.given_name,
        person.family_name,
        person.given_name_latin,
        person.family_name_latin,
        *aliases,
    )
    if person.phone_digits:
        keys.add(f"p:{person.phone_digits}")
    return {key[:64] for key in keys}


def search_vocabulary_add(keys):
    """Remember name keys for misspelling-tolerant search (phone numbers are not names)."""
    SearchVocabulary.objects.bulk_create(
        [SearchVocabulary(key=key, length=len(key)) for key in keys if not key.startswith("p:")],
        ignore_conflicts=True,
    )


def search_key_rows(person, keys) -> list[PersonSearchKey]:
    return [
        PersonSearchKey(
            person=person,
            key=key,
            organisation_id=person.organisation_id,
            sort_name=person.sort_name,
        )
        for key in keys
    ]


def _write_search_keys(person, aliases):
    keys = person_search_keys(person, aliases)
    PersonSearchKey.objects.filter(person=person).delete()
    PersonSearchKey.objects.bulk_create(search_key_rows(person, keys))
    search_vocabulary_add(keys)


def _write_children(person, aliases, languages, vulnerabilities):
    PersonAlias.objects.filter(person=person).delete()
    PersonAlias.objects.bulk_create(PersonAlias(person=person, name=name) for name in aliases)
    PersonLanguage.objects.filter(person=person).delete()
    PersonLanguage.objects.bulk_create(
        PersonLanguage(person=person, language=code) for code in sorted(set(languages))
    )
    PersonVulnerability.objects.filter(person=person).delete()
    PersonVulnerability.objects.bulk_create(
        PersonVulnerability(person=person, code=code) for code in sorted(set(vulnerabilities))
    )
    _write_search_keys(person, aliases)


def person_register(
    *, member, fields, aliases=(), languages=(), vulnerabilities=(), request=None
) -> Person:
    """Register a person in the member's organisation; all of it is saved, or nothing."""
    if not policy.can_register_person(member):
        raise NotAllowed(_("You may not register persons in this organisation."))
    _refuse_unknown_fields(fields)
    person = Person(organisation=member.organisation, created_by=member.user, **fields)
    aliases = _clean_aliases(aliases)
    person_prepare(person)
    person.full_clean()
    with transaction.atomic():
        person.save()
        _write_children(person, aliases, languages, vulnerabilities)
        audit_member(
            member,
            AuditAction.CREATE,
            person,
            person_id=person.pk,
            changes=changes_between({}, _audit_values(person, aliases, languages, vulnerabilities)),
            request=request,
        )
    return person


def person_update(
    *,
    member,
    person,
    version,
    fields,
    aliases=None,
    languages=None,
    vulnerabilities=None,
    request=None,
) -> Person:
    """Change a person. Refused with Conflict when somebody saved since `version` was read."""
    if not policy.can_change_person(member, person):
        raise NotAllowed(_("You may not change this person."))
    _refuse_unknown_fields(fields)
    old_aliases = [a.name for a in person.aliases.all()]
    old_languages = [row.language for row in person.languages.all()]
    old_vulnerabilities = [row.code for row in person.vulnerabilities.all()]
    before = _audit_values(person, old_aliases, old_languages, old_vulnerabilities)

    aliases = old_aliases if aliases is None else _clean_aliases(aliases)
    languages = old_languages if languages is None else list(languages)
    vulnerabilities = old_vulnerabilities if vulnerabilities is None else list(vulnerabilities)
    for name, value in fields.items():
        setattr(person, name, value)
    # A renamed person gets a fresh Latin form unless one was given with the new name.
    for native, latin in (("given_name", "given_name_latin"), ("family_name", "family_name_latin")):
        if native in fields and latin not in fields:
            setattr(person, latin, "")
    person_prepare(person)
    person.full_clean()
    with transaction.atomic():
        values = {name: getattr(person, name) for name in PERSON_FIELDS}
        values.update(phone_digits=person.phone_digits, sort_name=person.sort_name)
        # Compare-and-set on the version: of two people saving the same reading, one wins.
        saved = Person.objects.filter(pk=person.pk, version=version).update(
            **values, version=F("version") + 1, updated_at=timezone.now()
        )
        if not saved:
            raise Conflict(
                _(
                    "Somebody else changed this person while you were editing. "
                    "Reload the page to see their changes, then make yours again."
                )
            )
        person.version = version + 1
        _write_children(person, aliases, languages, vulnerabilities)
        after = _audit_values(person, aliases, languages, vulnerabilities)
        audit_member(
            member,
            AuditAction.UPDATE,
            person,
            subject_organisation=person.organisation,
            person_id=person.pk,
            changes=changes_between(before, after),
            request=request,
        )
    return person


def person_record_view(*, member, person, request=None, via="web"):
    """Log that the member opened this person's record (every read is audited)."""
    audit_member(
        member,
        AuditAction.VIEW,
        person,
        subject_organisation=person.organisation,
        person_id=person.pk,
        changes={"via": via},
        request=request,
    )


def persons_listing_record(*, member, action, text, count, request=None):
    """Log a search or an export of the registry: what was asked and how many persons it gave."""
    audit_member(
        member,
        action,
        object_type="people.person",
        object_repr=text[:200],
        changes={"results": count},
        request=request,
    )


# --- Households ---------------------------------------------------------------------------


def household_create(*, member, name, municipality="", address="", request=None) -> Household:
    """Create an empty household in the member's organisation."""
    if not policy.can_manage_household(member):
        raise NotAllowed(_("You may not manage households in this organisation."))
    household = Household(
        organisation=member.organisation,
        name=" ".join(name.split()),
        municipality=municipality.strip(),
        address=address.strip(),
        created_by=member.user,
    )
    household.full_clean()
    with transaction.atomic():
        household.save()
        audit_member(
            member,
            AuditAction.CREATE,
            household,
            changes=changes_between({}, snapshot(household, ("name", "municipality", "address"))),
            request=request,
        )
    return household


def household_update(*, member, household, version, fields, request=None) -> Household:
    """Rename or move a household; refused with Conflict on a stale version."""
    if not policy.can_manage_household(member, household):
        raise NotAllowed(_("You may not manage this household."))
    audited = ("name", "municipality", "address")
    before = snapshot(household, audited)
    for name in audited:
        if name in fields:
            setattr(household, name, " ".join(str(fields[name]).split()))
    household.full_clean()
    with transaction.atomic():
        saved = Household.objects.filter(pk=household.pk, version=version).update(
            **{name: getattr(household, name) for name in audited}, version=F("version") + 1
        )
        if not saved:
            raise Conflict(_("Somebody else changed this household. Reload and try again."))
        household.version = version + 1
        audit_member(
            member,
            AuditAction.UPDATE,
            household,
            subject_organisation=household.organisation,
            changes=changes_between(before, snapshot(household, audited)),
            request=request,
        )
    return household


def household_add_member(*, member, household, person, relationship, request=None):
    """Put a person into a household (moving them out of any other one)."""
    if not policy.can_manage_household(member, household):
        raise NotAllowed(_("You may not manage this household."))
    if person.organisation_id != household.organisation_id:
        raise ValidationError({"person": _("This person is not registered by your organisation.")})
    row = HouseholdMember(household=household, person=person, relationship=relationship)
    row.full_clean(exclude=["person"])
    with transaction.atomic():
        previous = HouseholdMember.objects.filter(person=person).first()
        if previous:
            previous.delete()
        row.save()
        audit_member(
            member,
            AuditAction.UPDATE,
            household,
            subject_organisation=household.organisation,
            person_id=person.pk,
            changes={
                "member_added": [previous.household_id if previous else None, person.pk],
                "relationship": [None, relationship],
            },
            request=request,
        )
    return row


def household_remove_member(*, member, household, person, request=None):
    """Take a person out of a household; the person's record stays."""
    if not policy.can_manage_household(member, household):
        raise NotAllowed(_("You may not manage this household."))
    with transaction.atomic():
        deleted, _rows = HouseholdMember.objects.filter(household=household, person=person).delete()
        if deleted:
            audit_member(
                member,
                AuditAction.UPDATE,
                household,
                subject_organisation=household.organisation,
                person_id=person.pk,
                changes={"member_removed": [person.pk, None]},
                request=request,
            )


# --- Consents -----------------------------------------------------------------------------

CONSENT_FIELDS = ("purpose", "scope", "given_on", "expires_on", "evidence", "evidence_reference")


def consent_record(*, member, person, fields, request=None) -> Consent:
    """Record a consent the person gave to the member's organisation."""
    if not policy.can_manage_consents(member, person):
        raise NotAllowed(_("You may not record consents for this person."))
    consent = Consent(
        person=person, organisation=member.organisation, recorded_by=member.user, **fields
    )
    errors = {}
    if consent.given_on and consent.given_on > timezone.localdate():
        errors["given_on"] = _("A consent cannot be given in the future.")
    if consent.given_on and consent.expires_on and consent.expires_on < consent.given_on:
        errors["expires_on"] = _("A consent cannot expire before it is given.")
    if errors:
        raise ValidationError(errors)
    consent.full_clean()
    with transaction.atomic():
        consent.save()
        audit_member(
            member,
            AuditAction.CREATE,
            consent,
            subject_organisation=person.organisation,
            person_id=person.pk,
            changes=changes_between({}, snapshot(consent, CONSENT_FIELDS)),
            request=request,
        )
    return consent


def consent_withdraw(*, member, consent, on=None, note="", request=None) -> Consent:
    """Withdraw a consent; any access it allowed ends in the same transaction."""
    if not policy.can_manage_consents(member, consent.person):
        raise NotAllowed(_("You may not change this person's consents."))
    on = on or timezone.localdate()
    if consent.withdrawn_on:
        raise ValidationError(_("This consent was already withdrawn."))
    if on < consent.given_on:
        raise ValidationError(
            {"withdrawn_on": _("The withdrawal date cannot be before the consent was given.")}
        )
    if on > timezone.localdate():
        raise ValidationError({"withdrawn_on": _("The withdrawal date cannot be in the future.")})
    with transaction.atomic():
        Consent.objects.filter(pk=consent.pk).update(withdrawn_on=on, withdrawal_note=note[:300])
        consent.withdrawn_on, consent.withdrawal_note = on, note[:300]
        # Withdrawal must stop sharing at once: revoke every grant that rests on it.
        revoked = list(
            AccessGrant.objects.filter(consent=consent, revoked_at__isnull=True).values_list(
                "pk", flat=True
            )
        )
        AccessGrant.objects.filter(pk__in=revoked).update(revoked_at=timezone.now())
        audit_member(
            member,
            AuditAction.UPDATE,
            consent,
            subject_organisation=consent.person.organisation,
            person_id=consent.person_id,
            changes={"withdrawn_on": [None, on.isoformat()], "grants_revoked": [None, revoked]},
            request=request,
        )
    return consent


def access_grant_create(
    *, member, person, organisation, fields, reason, consent, valid_until=None, request=None
) -> AccessGrant:
    """Let another organisation see some fields of a person; needs a valid sharing consent."""
    if not policy.can_manage_consents(member, person):
        raise NotAllowed(_("You may not share this person's data."))
    if (
        consent is None
        or consent.person_id != person.pk
        or consent.purpose != "sharing"
        or not consent.is_valid_today
    ):
        raise ValidationError(_("The person has no valid consent to sharing; nothing was shared."))
    _refuse_unknown_fields(fields)
    with transaction.atomic():
        grant = AccessGrant.objects.create(
            organisation=organisation,
            person=person,
            fields=sorted(fields),
            reason=reason,
            consent=consent,
            valid_until=valid_until,
            created_by=member.user,
        )
        audit_member(
            member,
            AuditAction.CREATE,
            grant,
            subject_organisation=person.organisation,
            person_id=person.pk,
            changes={"organisation": [None, organisation.pk], "fields": [None, sorted(fields)]},
            request=request,
        )
    return grant
