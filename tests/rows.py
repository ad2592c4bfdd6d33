"""What "nothing half-saved" is checked against: the rows of every table a request may write."""

from most.audit.models import AuditEntry
from most.people.models import (
    Consent,
    Household,
    HouseholdMember,
    Person,
    PersonAlias,
    PersonLanguage,
    PersonSearchKey,
    PersonVulnerability,
)

WRITTEN = (
    Person,
    PersonAlias,
    PersonLanguage,
    PersonVulnerability,
    PersonSearchKey,
    Household,
    HouseholdMember,
    Consent,
    AuditEntry,
)


def row_counts():
    return {model.__name__: model.objects.count() for model in WRITTEN}
