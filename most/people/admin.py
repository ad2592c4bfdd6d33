from django.contrib import admin

from most.accounts.admin import ReadOnlyModelAdmin

from .models import Consent, Household, Person

# Persons, households and consents are kept through the workspace, where every read and change is
# audited; the admin shows only counts and identifiers to platform administrators, and changes
# nothing (a household or consent deleted here would leave no trace in the audit trail).


@admin.register(Household)
class HouseholdAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "organisation")
    list_filter = ("organisation",)
    fields = ("organisation",)


@admin.register(Person)
class PersonAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "organisation", "created_at")
    list_filter = ("organisation",)
    fields = ("organisation", "created_at")
    readonly_fields = fields


@admin.register(Consent)
class ConsentAdmin(ReadOnlyModelAdmin):
    list_display = ("id", "organisation", "purpose", "given_on", "withdrawn_on")
    list_filter = ("purpose", "organisation")
