"""Every change to persons, households and consents goes through these functions.

Each takes the acting member (a user working for one organisation), checks the policy, validates
the whole change before writing any of it, runs in one transaction and writes the audit trail.
"""

import dataclasses
import datetime
import time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from most.accounts.services import hidden_characters_error
from most.audit.models import AuditAction, AuditEntry
from most.audit.services import (
    OWN_KEY,
    audit_member,
    audit_persons_shown,
    changes_between,
    sealed_open,
    snapshot,
)
from most.jobs.services import job_start
from most.lib import names
from most.lib.errors import NotAllowed
from most.records import save_versioned

from . import policy
from .models import (
    PERSON_FIELDS,
    SHAREABLE_FIELDS,
    AccessGrant,
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonLanguage,
    PersonSearchKey,
    PersonVulnerability,
    Relationship,
    SearchVariant,
)

EARLIEST_BIRTH = datetime.date(1900, 1, 1)
# A residence status recorded here began after the Second World War and, when it ends at all,
# ends within this century (a permanent one leaves the end empty): a date outside these is a
# typing error (year 1, 2204 for 2024), not a status.
RESIDENCE_DATES = (datetime.date(1945, 1, 1), datetime.date(2100, 12, 31))


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
    # After the Latin forms are filled in: a hidden character must be reported on the field
    # where it was typed, not on the Latin form made from it.
    for field in ("given_name", "family_name", "given_name_latin", "family_name_latin"):
        if message := hidden_characters_error(getattr(person, field)):
            errors[field] = message
    if message := hidden_characters_error(person.email, email=True):
        errors["email"] = message

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
    first, last = RESIDENCE_DATES
    for field in ("residence_valid_from", "residence_valid_until"):
        day = getattr(person, field)
        if isinstance(day, datetime.date) and not first <= day <= last:
            errors[field] = _("Enter a date between %(first)d and %(last)d.") % {
                "first": first.year,
                "last": last.year,
            }
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
        if message := hidden_characters_error(name):
            raise ValidationError({"aliases": message})
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


# Keys shorter than these are not looked up as possible misspellings (selectors): a key one
# letter shorter may still be one edit away from one that is, so it is kept from that length.
VARIANTS_FROM_LENGTH = {"f:": 4, "s:": 5}


def _variant_rows(organisation_id, keys):
    return [
        SearchVariant(organisation_id=organisation_id, variant=variant, key=key)
        for key in keys
        if len(key) >= VARIANTS_FROM_LENGTH.get(key[:2], 10**6)  # never phone numbers
        for variant in names.deletion_variants(key)
    ]


def search_vocabulary_add(organisation_id, keys):
    """Make the organisation's new name keys findable by misspelling-tolerant search."""
    SearchVariant.objects.bulk_create(
        _variant_rows(organisation_id, keys), ignore_conflicts=True, batch_size=5000
    )


def search_vocabulary_forget(organisation_id, keys):
    """Forget the keys no person of the organisation has any more (a rename, an erasure)."""
    keys = set(keys)
    if not keys:
        return
    still = set(
        PersonSearchKey.objects.filter(organisation=organisation_id, key__in=keys)
        .values_list("key", flat=True)
        .distinct()
    )
    gone = _variant_rows(organisation_id, keys - still)
    if gone:
        SearchVariant.objects.filter(
            organisation=organisation_id,
            variant__in={row.variant for row in gone},
            key__in={row.key for row in gone},
        ).delete()


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
    """Write the keys that changed (most saves change none), and the sort name they carry."""
    keys = person_search_keys(person, aliases)
    rows = PersonSearchKey.objects.filter(person=person)
    before = set(rows.values_list("key", flat=True))
    if before - keys:
        rows.filter(key__in=before - keys).delete()
    PersonSearchKey.objects.bulk_create(search_key_rows(person, keys - before))
    rows.exclude(sort_name=person.sort_name).update(sort_name=person.sort_name)
    search_vocabulary_add(person.organisation_id, keys - before)
    search_vocabulary_forget(person.organisation_id, before - keys)


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
        save_versioned(
            person,
            version=version,
            fields=(*PERSON_FIELDS, "phone_digits", "sort_name"),
            conflict=_(
                "Somebody else changed this person while you were editing. "
                "Reload the page to see their changes, then make yours again."
            ),
            updated_at=timezone.now(),
        )
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


def person_view_audit(*, member, person, request=None, via="web"):
    """Log that the member opened this person's record (every read is audited)."""
    audit_member(
        member,
        AuditAction.VIEW,
        person,
        subject_organisation=person.organisation,
        person_id=person.pk,
        facts={"via": via},
        request=request,
    )


def persons_export_start(*, member, query, request=None):
    """Start an XLSX export of the persons the query finds, in the background (a job)."""
    if not policy.can_export_persons(member):
        raise NotAllowed(_("You may not export persons."))
    with transaction.atomic():
        persons_shown_audit(
            member=member,
            action=AuditAction.EXPORT,
            description=f"xlsx: {query.text}",
            person_ids=(),  # the search defines the rows; their number is recorded
            total=None,
            request=request,
        )
        return job_start(
            member=member,
            kind="persons-xlsx",
            title=gettext_noop("Export of persons (XLSX)"),
            task="most.people.tasks.export_persons_xlsx",
            membership_id=member.pk,
            query=dataclasses.asdict(query),
        )


# The keystrokes of a live search are one search while the text still begins as it began (or
# is being deleted back to that), for up to this many seconds from the first.
SEARCH_CONTINUES_SECONDS = 120
_TYPING_KEY = "audit_search"


def persons_shown_audit(
    *, member, action, description, person_ids, total, request=None, typing=None, personal=True
) -> int:
    """Log which persons a list showed the member: one entry per page, with the persons' ids;
    returns the entry's id.

    personal: the description may hold a name (what was searched, a household's name): it is
    sealed with a key of the entry's own, destroyed when a person the entry showed is erased.
    typing: the session of a search typed live. Its keystrokes are one search: each adds the
    persons it shows to the search's entry (one statement), instead of writing an entry per
    keystroke. The session remembers only the search's beginning, so that a keystroke does not
    write the session too, and only sealed with the search's own key, so that erasing a person
    the search found makes it unreadable there as well.
    """
    # What was typed is kept as typed, but for NUL, which no database text may hold.
    description = description.replace("\x00", "")
    if typing is not None:
        entry_id = _search_being_typed(typing, member, description)
        if entry_id is not None:
            audit_persons_shown(AuditEntry(pk=entry_id), person_ids)
            return entry_id
    with transaction.atomic():
        entry = audit_member(
            member,
            action,
            object_type="people.person",
            object_repr=description[:200],
            facts={"results": total},
            request=request,
            subject=OWN_KEY if personal and description else None,
        )
        audit_persons_shown(entry, person_ids)
    if typing is not None and entry.key_id:
        typing[_TYPING_KEY] = {
            "entry": entry.pk,
            "organisation": member.organisation_id,
            "key": entry.key_id,
            "sealed": entry.sealed,
            "at": time.time(),
        }
    return entry.pk


def _search_being_typed(session, member, text):
    """The id of the audit entry of the search this text continues, or None."""
    search = session.get(_TYPING_KEY)
    if not isinstance(search, dict) or search.get("organisation") != member.organisation_id:
        return None
    if not text or time.time() - float(search.get("at", 0)) >= SEARCH_CONTINUES_SECONDS:
        return None
    opened = sealed_open(search.get("key"), str(search.get("sealed", "")))
    first = str((opened or {}).get("object", ""))
    if first and (text.startswith(first) or first.startswith(text)):
        return search.get("entry")
    return None


# --- Households ---------------------------------------------------------------------------


def _household_full_clean(household):
    """full_clean, and no hidden characters in the name: every error of the two at once."""
    errors = {}
    try:
        household.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if message := hidden_characters_error(household.name):
        errors.setdefault("name", []).append(message)
    if errors:
        raise ValidationError(errors)


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
    _household_full_clean(household)
    with transaction.atomic():
        household.save()
        audit_member(
            member,
            AuditAction.CREATE,
            household,
            changes=changes_between({}, snapshot(household, ("name", "municipality", "address"))),
            request=request,
            subject=f"household:{household.pk}",
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
    _household_full_clean(household)
    with transaction.atomic():
        save_versioned(
            household,
            version=version,
            fields=audited,
            conflict=_("Somebody else changed this household. Reload and try again."),
        )
        audit_member(
            member,
            AuditAction.UPDATE,
            household,
            subject_organisation=household.organisation,
            changes=changes_between(before, snapshot(household, audited)),
            request=request,
            subject=f"household:{household.pk}",
        )
    return household


def _refuse_a_second_head(household, person, relationship):
    if relationship != Relationship.HEAD:
        return
    head = (
        HouseholdMember.objects.filter(household=household, relationship=Relationship.HEAD)
        .exclude(person=person)
        .select_related("person")
        .first()
    )
    if head is not None:
        raise ValidationError(
            {
                "relationship": _(
                    "%(name)s is already the head of this household. Change their "
                    "relationship first."
                )
                % {"name": head.person.latin_name}
            }
        )


def _saved_in_household(row):
    """Save a member row; the database keeps one head per household even when two people add
    one at the same moment (the check before is only for a clear message)."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError(
            {"relationship": _("This household already has a head. Reload and try again.")}
        ) from None


def household_add_member(*, member, household, person, relationship, request=None):
    """Put a person into a household (moving them out of any other one)."""
    if not policy.can_manage_household(member, household):
        raise NotAllowed(_("You may not manage this household."))
    if person.organisation_id != household.organisation_id:
        raise ValidationError({"person": _("This person is not registered by your organisation.")})
    if not policy.is_in_use(person):
        raise ValidationError({"person": _("This person's record is restricted or erased.")})
    _refuse_a_second_head(household, person, relationship)
    row = HouseholdMember(household=household, person=person, relationship=relationship)
    row.full_clean(exclude=["person"])
    with transaction.atomic():
        previous = HouseholdMember.objects.filter(person=person).first()
        if previous:
            previous.delete()
        _saved_in_household(row)
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


def household_member_change(*, member, household, person, relationship, request=None):
    """Change how a member of the household is related (the head, a spouse, a child...)."""
    if not policy.can_manage_household(member, household):
        raise NotAllowed(_("You may not manage this household."))
    row = HouseholdMember.objects.filter(household=household, person=person).first()
    if row is None:
        raise ValidationError({"person": _("This person is not a member of the household.")})
    _refuse_a_second_head(household, person, relationship)
    before = row.relationship
    row.relationship = relationship
    row.full_clean(exclude=["person", "household"])
    with transaction.atomic():
        _saved_in_household(row)
        audit_member(
            member,
            AuditAction.UPDATE,
            household,
            subject_organisation=household.organisation,
            person_id=person.pk,
            changes={"relationship": [before, relationship]},
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

CONSENT_FIELDS = (
    "purpose",
    "recipient",
    "scope",
    "given_on",
    "expires_on",
    "evidence",
    "evidence_reference",
)
# The consents kept are those of people the network helps now: a consent dated before 1990, or
# expiring more than a lifetime after it was given (one without end leaves the expiry empty), is
# a typing error such as year 1 or 9999, not a consent.
EARLIEST_CONSENT = datetime.date(1990, 1, 1)
LONGEST_CONSENT_YEARS = 100


def consent_record(*, member, person, fields, request=None) -> Consent:
    """Record a consent the person gave to the member's organisation."""
    if not policy.can_share_person(member, person):
        raise NotAllowed(_("You may not record consents for this person."))
    consent = Consent(
        person=person, organisation=member.organisation, recorded_by=member.user, **fields
    )
    errors = {}
    if consent.given_on and consent.given_on > timezone.localdate():
        errors["given_on"] = _("A consent cannot be given in the future.")
    elif consent.given_on and consent.given_on < EARLIEST_CONSENT:
        errors["given_on"] = _("A consent cannot be given before %(year)d.") % {
            "year": EARLIEST_CONSENT.year
        }
    if consent.given_on and consent.expires_on and consent.expires_on < consent.given_on:
        errors["expires_on"] = _("A consent cannot expire before it is given.")
    elif (
        consent.given_on
        and consent.expires_on
        and consent.expires_on.year - consent.given_on.year > LONGEST_CONSENT_YEARS
    ):
        errors["expires_on"] = _(
            "A consent cannot run for more than %(years)d years; leave the expiry empty if it "
            "does not expire."
        ) % {"years": LONGEST_CONSENT_YEARS}
    if consent.recipient_id and consent.purpose != "sharing":
        errors["recipient"] = _("Only a consent to sharing names an organisation to share with.")
    elif consent.recipient_id == member.organisation_id:
        errors["recipient"] = _("Sharing is with another organisation, not your own.")
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


def consent_withdraw(*, member, consent, on=None, note="", version=None, request=None) -> Consent:
    """Withdraw a consent; any access it allowed ends in the same transaction.

    version: the consent's version the member saw (default: as read now); of two withdrawals
    of one reading, the second is refused with Conflict.
    """
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
        consent.withdrawn_on, consent.withdrawal_note = on, note[:300]
        save_versioned(
            consent,
            version=consent.version if version is None else version,
            fields=("withdrawn_on", "withdrawal_note"),
            conflict=_("Somebody else changed this consent meanwhile. Reload and try again."),
        )
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
    if not policy.can_share_person(member, person):
        raise NotAllowed(_("You may not share this person's data."))
    return _grant(member, person, organisation, fields, reason, consent, valid_until, request)


def access_grant_accept(*, member, person, fields, consent, request=None) -> AccessGrant:
    """The member's organisation accepts what the person's organisation refers to it: it sees
    the fields the referral shares, for as long as the consent the referral rests on holds."""
    if not policy.is_in_use(person) or person.organisation_id == member.organisation_id:
        raise NotAllowed(_("This person's data cannot be shared."))
    if consent is not None and consent.organisation_id != person.organisation_id:
        consent = None  # only the keeping organisation's consent lets it share
    valid_until = consent.expires_on if consent else None
    return _grant(
        member, person, member.organisation, fields, "referral", consent, valid_until, request
    )


def _grant(member, person, organisation, fields, reason, consent, valid_until, request):
    if (
        consent is None
        or consent.person_id != person.pk
        or consent.purpose != "sharing"
        or not consent.is_valid_today
    ):
        raise ValidationError(_("The person has no valid consent to sharing; nothing was shared."))
    if consent.recipient_id not in (None, organisation.pk):
        raise ValidationError(
            _("The person's consent does not cover sharing with %(org)s; nothing was shared.")
            % {"org": organisation}
        )
    if unknown := set(fields) - set(SHAREABLE_FIELDS):
        raise ValidationError(
            _("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
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


def access_grant_revoke(*, member, grant, why, request=None) -> None:
    """End a grant now (its referral ended); a grant already ended stays as it is."""
    now = timezone.now()
    with transaction.atomic():
        if not AccessGrant.objects.filter(pk=grant.pk, revoked_at__isnull=True).update(
            revoked_at=now
        ):
            return
        grant.revoked_at = now
        audit_member(
            member,
            AuditAction.UPDATE,
            grant,
            subject_organisation=grant.person.organisation,
            person_id=grant.person_id,
            changes={"revoked_at": [None, now.isoformat()]},
            facts={"why": why},
            request=request,
        )
