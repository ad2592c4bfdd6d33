"""The demo's individual support: needs assessed, plans with goals and actions by partners,
counselling (some with an interpreter), psychosocial support written by the counsellor, and
outcomes: jobs at the network's employers, Slovenian levels, school progress."""

import datetime

from django.db import transaction
from django.utils import timezone

from most.accounts.models import Membership, Organisation, OrganisationType, Role
from most.casework import services
from most.casework.models import Assessment
from most.casework.taxonomy import Domain, PsychosocialFactor
from most.people.models import Person

GOALS = [
    (Domain.LANGUAGE, "Tečaj slovenščine do ravni A2", "Vpis na tečaj v Cankarjevem domu"),
    (Domain.WORK, "Prijava na Zavodu za zaposlovanje", "Spremstvo na prvi razgovor"),
    (Domain.HOUSING, "Najem stanovanja", "Pregled ponudb neprofitnih stanovanj"),
    (Domain.HEALTH, "Izbira osebnega zdravnika", "Prijava v zdravstveni dom"),
    (Domain.EDUCATION, "Priznanje izobrazbe", "Vloga na ENIC-NARIC centru"),
    (Domain.DIGITAL, "Uporaba e-uprave", "Delavnica o SI-PASS"),
]
SUMMARIES = [
    "Pogovor o iskanju zaposlitve in urniku tečaja slovenščine.",
    "Pomoč pri izpolnjevanju vloge za denarno socialno pomoč.",
    "Dogovor o vpisu otrok v šolo in o prevozu.",
    "Pogovor o stanovanjskih težavah; dogovor za obisk CSD.",
]
PSYCHOSOCIAL_NOTES = [
    "Težave s spanjem po prihodu; pogovor o virih opore v skupnosti.",
    "Osamljenost, skrb za sorodnike v izvorni državi. Dogovor za skupino za ženske.",
    "Stres zaradi negotovega statusa; psihoedukacija o odzivih na stres.",
]


def _member(organisation, role):
    return (
        Membership.objects.filter(organisation=organisation, role=role, is_active=True)
        .select_related("user", "organisation")
        .first()
    )


@transaction.atomic
def seed_casework(organisation, rng):
    caseworker = _member(organisation, Role.CASEWORKER)
    counsellor = _member(organisation, Role.COUNSELLOR)
    if caseworker is None or counsellor is None:
        return
    if Assessment.objects.filter(organisation=organisation).exists():
        return
    today = timezone.localdate()
    partners = list(Organisation.objects.exclude(pk=organisation.pk).exclude(type="employer"))
    employers = list(Organisation.objects.filter(type=OrganisationType.EMPLOYER))
    adults = [
        p
        for p in Person.objects.filter(
            organisation=organisation, erased_at=None, restricted_at=None
        ).order_by("pk")
        if (p.age_on(today) or 0) >= 18
    ][:40]
    for n, person in enumerate(adults):
        start = today - datetime.timedelta(days=rng.randint(60, 300))
        domains = rng.sample(list(Domain), rng.randint(4, 8))
        scores = {domain.value: (rng.randint(1, 5), "") for domain in domains}
        services.assessment_record(
            member=caseworker, person=person, assessed_on=start, scores=scores
        )
        for domain, title, action in rng.sample(GOALS, rng.randint(1, 3)):
            goal = services.goal_add(
                member=caseworker,
                person=person,
                fields={
                    "title": title,
                    "domain": domain,
                    "due_on": start + datetime.timedelta(days=rng.randint(60, 240)),
                },
            )
            responsible = (
                {"responsible_organisation": rng.choice(partners)}
                if partners and rng.random() < 0.4
                else {"responsible_user": caseworker.user}
            )
            services.goal_action_add(
                member=caseworker, goal=goal, fields={"description": action, **responsible}
            )
            if rng.random() < 0.3:
                services.goal_set_status(
                    member=caseworker, goal=goal, status="achieved", version=goal.version
                )
        for _ in range(rng.randint(1, 4)):
            services.counselling_record(
                member=caseworker,
                person=person,
                fields={
                    "held_on": start + datetime.timedelta(days=rng.randint(0, 50)),
                    "minutes": rng.choice([30, 45, 60, 90]),
                    "kind": rng.choice(["individual", "individual", "family", "phone"]),
                    "language": person.preferred_language,
                    "interpreter_present": rng.random() < 0.3,
                    "mediator_present": rng.random() < 0.15,
                    "summary": rng.choice(SUMMARIES),
                },
            )
        if n % 4 == 0:
            services.psychosocial_record(
                member=counsellor,
                person=person,
                fields={
                    "recorded_on": start + datetime.timedelta(days=rng.randint(0, 40)),
                    "level": rng.choice([2, 3, 3, 4]),
                    "factors": rng.sample(list(PsychosocialFactor.values), rng.randint(1, 3)),
                    "notes": rng.choice(PSYCHOSOCIAL_NOTES),
                },
            )
        if n % 5 == 1 and employers:
            services.outcome_record(
                member=caseworker,
                person=person,
                fields={
                    "kind": "job",
                    "achieved_on": today - datetime.timedelta(days=rng.randint(1, 50)),
                    "employer": rng.choice(employers),
                    "detail": rng.choice(["Pomočnica v kuhinji", "Sobarica", "Čistilec"]),
                },
            )
        elif n % 5 == 2:
            services.outcome_record(
                member=caseworker,
                person=person,
                fields={
                    "kind": "language",
                    "achieved_on": today - datetime.timedelta(days=rng.randint(1, 90)),
                    "slovenian_level": rng.choice(["A1", "A2", "B1"]),
                    "detail": "Izpit na Filozofski fakulteti",
                },
            )
