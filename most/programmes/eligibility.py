"""Eligibility rules as data: checked when saved, evaluated for one person, and as one query.

A rule is a tree: a group {"all": [...]} or {"any": [...]} of conditions and smaller groups. A
condition names a fact of the registry and what it must be:

    {"field": "age", "op": "gte", "value": 18}
    {"field": "residence_status", "op": "in", "values": ["PERMANENT_RESIDENCE", "SI_CITIZEN"]}

A fact that is not recorded (no date of birth, sex "not recorded", no employment status) fails
every condition on it: eligibility must be shown, not assumed. `reasons` gives every condition
a person fails, in words; `eligible` gives the same answer for a whole list of persons in one
database query (a property-based test holds the two together).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from most.people.models import HouseholdMember, Relationship, Sex, SituationKind
from most.people.situations import current_value, situation_on
from most.people.taxonomy import (
    CefrLevel,
    EducationLevel,
    EmploymentStatus,
    ResidenceStatus,
    SocialAssistance,
)

MAX_DEPTH = 3
MAX_CONDITIONS = 40
OLDEST = 120


@dataclass(frozen=True)
class Fact:
    """A fact of the registry a condition may name."""

    name: str
    label: str
    # code -> label; None: free text (a municipality), any value the registry holds.
    choices: Callable[[], dict] | None = None
    number: bool = False
    # Values that mean "not recorded": a condition on them fails.
    unrecorded: frozenset = frozenset({"", None})
    # Today's situation of the person, annotated for the query (None: a column of the person).
    situation: str | None = None
    column: str = ""

    @property
    def operators(self):
        return NUMBER_OPERATORS if self.number else CHOICE_OPERATORS

    def value_label(self, value):
        if self.choices is None or value is None:
            return str(value)
        return str(self.choices().get(value, value))


def _labels(choices):
    return lambda: dict(choices.choices)


def _countries():
    return dict(countries)


FACTS = {
    fact.name: fact
    for fact in (
        Fact("age", gettext_lazy("Age"), number=True),
        Fact("sex", gettext_lazy("Sex"), _labels(Sex), unrecorded=frozenset({Sex.UNKNOWN})),
        Fact(
            "residence_status",
            gettext_lazy("Residence status"),
            _labels(ResidenceStatus),
            unrecorded=frozenset({ResidenceStatus.UNKNOWN}),
        ),
        Fact("slovenian_level", gettext_lazy("Slovenian level"), _labels(CefrLevel)),
        Fact(
            "employment_status",
            gettext_lazy("Employment status"),
            _labels(EmploymentStatus),
            situation=SituationKind.EMPLOYMENT,
        ),
        Fact(
            "social_assistance",
            gettext_lazy("Social assistance"),
            _labels(SocialAssistance),
            situation=SituationKind.SOCIAL_ASSISTANCE,
        ),
        Fact(
            "education_level",
            gettext_lazy("Education level"),
            _labels(EducationLevel),
            situation=SituationKind.EDUCATION,
        ),
        Fact("municipality", gettext_lazy("Municipality")),
        Fact(
            "household_role",
            gettext_lazy("Role in the household"),
            _labels(Relationship),
            column="membership__relationship",
        ),
        Fact("country_of_origin", gettext_lazy("Country of origin"), _countries),
        Fact("citizenship", gettext_lazy("Citizenship"), _countries),
    )
}

CHOICE_OPERATORS = {"in": gettext_lazy("is one of"), "not_in": gettext_lazy("is none of")}
NUMBER_OPERATORS = {"gte": gettext_lazy("at least"), "lte": gettext_lazy("at most")}


# --- Checking a rule when it is saved ---------------------------------------------------------


@dataclass
class _Check:
    errors: list = field(default_factory=list)
    conditions: int = 0


def check(rule) -> dict:
    """The rule, normalised, or ValidationError naming everything wrong with it."""
    state = _Check()
    if not isinstance(rule, dict) or not _is_group(rule):
        raise ValidationError(_("The rules must be a group: all of, or any of, some conditions."))
    normalised = _check_node(rule, 1, state)
    if state.conditions > MAX_CONDITIONS:
        state.errors.append(
            _("A programme has at most %(count)d conditions.") % {"count": MAX_CONDITIONS}
        )
    if state.errors:
        raise ValidationError(state.errors)
    return normalised


def _is_group(node):
    return isinstance(node, dict) and len(node) == 1 and next(iter(node)) in ("all", "any")


def _check_node(node, depth, state):
    if _is_group(node):
        ((kind, children),) = node.items()
        if depth > MAX_DEPTH:
            state.errors.append(_("Groups nest at most %(depth)d deep.") % {"depth": MAX_DEPTH})
            return node
        if not isinstance(children, list):
            state.errors.append(_("A group holds a list of conditions."))
            return node
        if kind == "any" and not children:
            state.errors.append(_('An "any of" group needs at least one condition.'))
        return {kind: [_check_node(child, depth + 1, state) for child in children]}
    state.conditions += 1
    return check_condition(node, state.errors)


def check_condition(condition, errors: list) -> dict:
    """The condition, normalised; what is wrong with it is appended to `errors`."""
    if not isinstance(condition, dict):
        errors.append(_("A condition names a field, an operator and a value."))
        return condition
    fact = FACTS.get(condition.get("field"))
    if fact is None:
        errors.append(
            _("Unknown field: %(field)s. Use one of: %(fields)s.")
            % {"field": condition.get("field"), "fields": ", ".join(FACTS)}
        )
        return condition
    op = condition.get("op")
    if op not in fact.operators:
        errors.append(
            _("%(fact)s cannot be compared with “%(op)s”; use one of: %(ops)s.")
            % {"fact": fact.label, "op": op, "ops": ", ".join(fact.operators)}
        )
        return condition
    if unknown := set(condition) - {"field", "op", "value", "values"}:
        errors.append(_("Unknown keys in a condition: %(keys)s.") % {"keys": ", ".join(unknown)})
    if fact.number:
        value = condition.get("value")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= OLDEST:
            errors.append(
                _("%(fact)s must be a whole number from 0 to %(oldest)d.")
                % {"fact": fact.label, "oldest": OLDEST}
            )
        return {"field": fact.name, "op": op, "value": value}
    values = condition.get("values")
    if not isinstance(values, list) or not values:
        errors.append(_("Choose at least one value for %(fact)s.") % {"fact": fact.label})
        return condition
    values = list(dict.fromkeys(values))
    if fact.choices is not None:
        known = fact.choices()
        wrong = [str(v) for v in values if v not in known or v in fact.unrecorded]
    else:
        wrong = [str(v) for v in values if not isinstance(v, str) or not v.strip() or len(v) > 100]
    if wrong:
        errors.append(
            _("%(fact)s cannot be %(values)s.") % {"fact": fact.label, "values": ", ".join(wrong)}
        )
    return {"field": fact.name, "op": op, "values": values}


def conditions_of(rule):
    """Every condition of the rule, in order, depth first."""
    for key in ("all", "any"):
        for child in rule.get(key, ()):
            if _is_group(child):
                yield from conditions_of(child)
            else:
                yield child


def requirement(condition) -> str:
    """What the condition asks, in words: "at least 18", "one of: Female, Other"."""
    fact = FACTS[condition["field"]]
    if fact.number:
        word = _("at least %(n)d") if condition["op"] == "gte" else _("at most %(n)d")
        return word % {"n": condition["value"]}
    labels = [fact.value_label(value) for value in condition["values"]]
    if condition["op"] == "in":
        if len(labels) == 1:
            return labels[0]
        return _("one of: %(list)s") % {"list": ", ".join(labels)}
    return _("none of: %(list)s") % {"list": ", ".join(labels)}


def describe(condition) -> str:
    return f"{FACTS[condition['field']].label}: {requirement(condition)}"


# --- Editing a rule in the form ------------------------------------------------------------


def with_condition(rule, condition, alternative=False) -> dict:
    """The rule with one more condition: required (in the top "all" group) or one of the
    alternatives (the top group's first "any" group, made when there is none)."""
    rule = rule if "all" in rule else {"all": [rule] if rule.get("any") else []}
    children = list(rule["all"])
    if not alternative:
        return {"all": children + [condition]}
    for index, child in enumerate(children):
        if isinstance(child, dict) and "any" in child:
            children[index] = {"any": child["any"] + [condition]}
            return {"all": children}
    return {"all": children + [{"any": [condition]}]}


def without(rule, path: list[int]) -> dict:
    """The rule without the node at the path (indices from the top group down); a group left
    empty goes too."""
    ((kind, children),) = rule.items()
    index, rest = path[0], path[1:]
    if not 0 <= index < len(children):
        raise ValidationError(_("That condition is no longer in the rules. Reload the page."))
    children = list(children)
    if rest and _is_group(children[index]):
        inner = without(children[index], rest)
        if next(iter(inner.values())):
            children[index] = inner
        else:
            del children[index]
    elif rest:
        raise ValidationError(_("That condition is no longer in the rules. Reload the page."))
    else:
        del children[index]
    return {kind: children}


def outline(rule, path=()) -> list[dict]:
    """The rule as rows for the page: each condition in words, each group as a heading."""
    rows = []
    ((kind, children),) = rule.items()
    for index, child in enumerate(children):
        here = (*path, index)
        if _is_group(child):
            ((inner, _items),) = child.items()
            label = _("All of these:") if inner == "all" else _("At least one of these:")
            rows.append({"path": here, "depth": len(path), "text": label, "group": True})
            rows.extend(outline(child, here))
        else:
            rows.append({"path": here, "depth": len(path), "text": describe(child), "group": False})
    for row in rows:
        row["key"] = ".".join(str(i) for i in row["path"])
    return rows


# --- One person -------------------------------------------------------------------------------


def facts_of(person, day=None) -> dict:
    """The person's facts the rules may name, on the day (default today)."""
    day = day or timezone.localdate()
    situation = situation_on(person, day)
    role = HouseholdMember.objects.filter(person=person).values_list("relationship", flat=True)
    facts = {
        "age": person.age_on(day),
        "household_role": role.first(),
    }
    for fact in FACTS.values():
        if fact.situation:
            current = situation.get(fact.situation)
            facts[fact.name] = current.value if current else None
        elif fact.name not in facts:
            facts[fact.name] = str(getattr(person, fact.name) or "")
    return facts


def reasons(rule, facts) -> list[str]:
    """Every condition the facts fail, in words; empty: eligible."""
    if "any" in rule:
        failed = [_failures(child, facts) for child in rule["any"]]
        if all(failed):
            return [_("None of these holds: %(list)s") % {"list": "; ".join(sum(failed, []))}]
        return []
    return sum((_failures(child, facts) for child in rule.get("all", ())), [])


def _failures(node, facts):
    if _is_group(node):
        return reasons(node, facts)
    fact = FACTS[node["field"]]
    value = facts.get(fact.name)
    if value in fact.unrecorded:
        return [_("%(fact)s is not recorded.") % {"fact": fact.label}]
    holds = {
        "gte": lambda: value >= node.get("value", 0),
        "lte": lambda: value <= node.get("value", 0),
        "in": lambda: value in node["values"],
        "not_in": lambda: value not in node["values"],
    }[node["op"]]()
    if holds:
        return []
    return [
        _("%(fact)s is %(value)s; the programme asks for %(condition)s.")
        % {
            "fact": fact.label,
            "value": fact.value_label(value),
            "condition": requirement(node),
        }
    ]


# --- Many persons, one query --------------------------------------------------------------------


def eligible(rule, persons, day=None):
    """The persons of the queryset the rule admits, as one query."""
    day = day or timezone.localdate()
    annotations = {}
    for condition in conditions_of(rule):
        fact = FACTS[condition["field"]]
        if fact.situation:
            annotations[f"fact_{fact.name}"] = current_value(fact.situation, day)
        elif fact.column:
            annotations[f"fact_{fact.name}"] = F(fact.column)
    return persons.annotate(**annotations).filter(_q(rule, day))


def _q(node, day):
    if _is_group(node):
        ((kind, children),) = node.items()
        combined = Q()
        for child in children:
            combined = combined & _q(child, day) if kind == "all" else combined | _q(child, day)
        # An empty "all" admits everybody; an empty "any" is refused when the rule is saved.
        return combined if children or kind == "all" else Q(pk__in=[])
    fact = FACTS[node["field"]]
    if fact.number:
        years = node["value"] if node["op"] == "gte" else node["value"] + 1
        at_least = _age_at_least(years, day)
        return at_least if node["op"] == "gte" else _age_known() & ~at_least
    column = f"fact_{fact.name}" if fact.situation or fact.column else fact.name
    matches = Q(**{f"{column}__in": node["values"]})
    if node["op"] == "in":
        # A saved rule never lists an unrecorded value (check), so the match alone says it: the
        # situation's subquery is then evaluated once per person, not three times.
        return matches
    recorded = Q(**{f"{column}__isnull": False}) & ~Q(
        **{f"{column}__in": [v for v in fact.unrecorded if v is not None]}
    )
    return recorded & ~matches


def _age_known():
    return Q(birth_date__isnull=False) | Q(birth_year__isnull=False)


def _age_at_least(years, day):
    """As Person.age_on: from the date of birth when known, else from the year alone."""
    year = day.year - years
    try:
        latest_birth = day.replace(year=year)
    except ValueError:  # 29 February in a year without one: born by the 28th
        latest_birth = datetime.date(year, 2, 28)
    return Q(birth_date__isnull=False, birth_date__lte=latest_birth) | Q(
        birth_date__isnull=True, birth_year__isnull=False, birth_year__lte=year
    )
