from django.contrib import admin

from .models import Consent, Household, Person

# Persons are kept through the workspace, where every read and change is audited; the admin
# shows only counts and identifiers to platform administrators.


@admin.register(Household)
class HouseholdAdmin(admin.ModelAdmin):
    list_display = ("id", "organisation")
    list_filter = ("organisation",)

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("id", "organisation", "created_at")
    list_filter = ("organisation",)
    fields = ("organisation", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("id", "organisation", "purpose", "given_on", "withdrawn_on")
    list_filter = ("purpose", "organisation")

    def has_change_permission(self, request, obj=None):
        return False
