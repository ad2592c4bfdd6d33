"""What the apps' views share: a record the member may see or a 404, a service's errors on a
form. Missing and forbidden look the same, so nobody learns what another organisation holds."""

from django.core.exceptions import ValidationError
from django.http import Http404

from most.lib.errors import NotFound


def get_or_404(getter, member, pk):
    """getter(member, pk) from a selector, with its NotFound as the page's 404."""
    try:
        return getter(member, pk)
    except NotFound:
        raise Http404 from None


def add_errors(form, error: ValidationError):
    """A service's ValidationError on the form: each field's on the field it names (when the
    form has it), the rest above the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
