"""The referral letter as a PDF, for the organisation that sent the referral to print and give
to the person (letter.py makes it)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from most.accounts.decorators import member_required
from most.people.services import person_view_audit
from most.web import get_or_404

from . import policy, selectors
from .letter import letter_pdf


@require_GET
@member_required
def letter(request, pk):
    member = request.member
    referral = get_or_404(selectors.referral_for, member, pk)
    if not policy.can_print_letter(member, referral):
        raise Http404
    pdf = letter_pdf(referral)
    # The letter names the person: printing it is a read of their record.
    person_view_audit(member=member, person=referral.person, request=request, via="referral letter")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="referral-{referral.pk}.pdf"'
    return response
