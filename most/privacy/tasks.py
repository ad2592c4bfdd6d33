"""The data subject's export, written in the background: JSON for other systems (Art. 20) and a
PDF to read (Art. 15), in one ZIP file."""

import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_noop
from django_tasks import task

from most.accounts.policy import membership_by_id
from most.audit.personal_data import holding_of
from most.jobs.services import runs_as_job

from . import policy, selectors

NOT_ALLOWED = gettext_noop("You may no longer export this person's data, so nothing was exported.")
ZIP_TYPE = "application/zip"


@task()
@runs_as_job
def export_person(progress, workdir, *, membership_id, person_id, language):
    member = membership_by_id(membership_id)
    person = selectors.person_for(member, person_id) if member else None
    # Checked again when the job runs: the right, or the person, may be gone since.
    if person is None or person.erased_at or not policy.can_erase(member, person):
        progress.failed(NOT_ALLOWED)
        return
    data = selectors.subject_data(person)
    progress.started(len(data["records"]) + 1)
    stem = f"person-{person.pk}-{timezone.localdate().isoformat()}"
    json_path = workdir / f"{stem}.json"
    json_path.write_text(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2), encoding="utf-8"
    )
    progress.advance(1)
    pdf_path = workdir / f"{stem}.pdf"
    with translation.override(language):
        write_pdf(pdf_path, person, data)
    archive = workdir / f"{stem}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        zipped.write(json_path, json_path.name)
        zipped.write(pdf_path, pdf_path.name)
    progress.finished(archive, archive.name, ZIP_TYPE)


def _labelled(label, rows):
    """Rows as (field label, value) pairs, in the words of the model's fields."""
    holding = holding_of(label)
    fields = {}
    if holding is not None:
        for field in holding.model._meta.concrete_fields:
            fields[field.attname] = field
    labelled = []
    for row in rows:
        pairs = []
        for name, value in row.items():
            field = fields.get(name)
            if field is not None and field.choices and value not in (None, ""):
                value = dict(field.flatchoices).get(value, value)
            title = str(field.verbose_name) if field is not None else name.replace("_", " ")
            pairs.append((title, "" if value is None else value))
        labelled.append(pairs)
    return labelled


def write_pdf(path, person, data):
    from weasyprint import HTML  # heavy: loaded by the worker when an export runs

    sections = [
        {"title": record["title"], "rows": _labelled(label, record["rows"])}
        for label, record in data["records"].items()
    ]
    html = render_to_string(
        "privacy/export_pdf.html",
        {"person": person, "data": data, "sections": sections, "derived": data["derived"]},
    )
    HTML(string=html).write_pdf(path)
