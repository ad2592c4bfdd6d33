from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("deleted")
    VIEW = "view", _("viewed")
    SEARCH = "search", _("searched")
    LIST = "list", _("listed")
    EXPORT = "export", _("exported")
    LOGIN = "login", _("logged in")
    # The password was right and the second factor's code was not: worth a look.
    LOGIN_REFUSED = "refused", _("sign-in refused")
    LOGOUT = "logout", _("logged out")
    ERASE = "erase", _("erased")
    RESTRICT = "restrict", _("restricted")


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit entries cannot be changed")

    def delete(self):
        raise AppendOnlyError("audit entries cannot be deleted")


class AppendOnly(models.Model):
    """Rows written once and never changed or removed, one by one or in bulk."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")


class AuditEntry(AppendOnly):
    """One change to, or one read of, something Most keeps. Written once, never changed."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Users and organisations are deactivated, never deleted, so PROTECT keeps every entry whole.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("acting organisation"),
    )
    # The organisation the object belongs to: its data protection officer sees who read it,
    # even when the reader worked for another organisation.
    subject_organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("owning organisation"),
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    # What the entry is about, in words, when that holds no personal value (an organisation, a
    # user); a person's name is in `sealed` instead.
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    # The person the entry concerns, kept as a plain number so it outlives an erasure.
    person_id = models.BigIntegerField(_("person"), null=True, blank=True)
    # Facts that are never personal ({"via": "api"}, {"results": 25}), in clear.
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    # The fields whose values are sealed or, being sensitive, were never recorded: the entry
    # still says what changed after its values have become unreadable.
    changed_fields = models.JSONField(default=list, blank=True)
    # The personal values ({"object": ..., "changes": {field: [before, after]}}), encrypted with
    # the AuditKey `key_id`; no foreign key, so that destroying the key leaves the entry whole.
    sealed = models.TextField(blank=True)
    key_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="audit_org_at"),
            models.Index(fields=["subject_organisation", "-at"], name="audit_subject_org_at"),
            # The audit page filtered by an action (who exported, who erased), and erasure's
            # search for the organisation's exports of a search.
            models.Index(fields=["organisation", "action", "-at"], name="audit_org_action_at"),
            models.Index(
                fields=["subject_organisation", "action", "-at"], name="audit_subject_action_at"
            ),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["person_id", "-at"], name="audit_person_at"),
            # A user's own recent reads (the workspace's "recently viewed").
            models.Index(fields=["actor", "action", "-at"], name="audit_actor_action_at"),
        ]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_repr}"


class AuditedPerson(AppendOnly):
    """A person that an entry showed: a list page, a search (as one types), an API page.

    One row per person, so the data protection officer finds every list that showed a person
    as readily as every opening of the person's record.
    """

    entry = models.ForeignKey(AuditEntry, on_delete=models.PROTECT, related_name="persons")
    person_id = models.BigIntegerField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "person_id"], name="audited_person_once"),
        ]

    def __str__(self):
        return f"{self.entry_id}: {self.person_id}"


class AuditKey(models.Model):
    """The key that seals the personal values of the entries about one subject (a person, a
    household), or of one entry (a search, whose typed words may be anyone's name).

    Erasure deletes the subject's keys (crypto-shredding): the entries stay as they were, each
    still counts, and their personal values can no longer be read by anyone, from this database
    or from any copy of it made afterwards. The key itself is stored encrypted with the master
    key (settings.AUDIT_KEYS), which is kept outside the database and its backups.
    """

    # "person:42", "household:7"; empty for an entry's own key.
    subject = models.CharField(max_length=40, null=True, unique=True)
    wrapped = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    def __str__(self):
        return self.subject or f"entry key {self.pk}"
