"""Changing the catalogue."""

from django.db import transaction

from most.audit.models import AuditAction
from most.audit.services import audit_record

from . import hsds_import


def catalogue_import(*, dataset, name, owner=None, actor=None, progress=None):
    """Write a dataset read by hsds_import (all or nothing) and log it; returns the Outcome.
    owner: the network member that keeps the organisations it brings."""
    with transaction.atomic():
        outcome = hsds_import.apply(dataset, owner=owner, progress=progress)
        if outcome.ok:
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                organisation=owner,
                object_type="directory.dataset",
                object_repr=name,
                facts={"imported": outcome.counts},
            )
    return outcome
