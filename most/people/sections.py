"""Parts of a person's page that other apps add (their programmes, their casework).

The people app sits below those apps and must not import them; each registers, from its
AppConfig.ready(), a function that renders its part of the page for the member reading it (or
returns "" when there is nothing for that member to see). The page shows them in the order
registered.
"""

from collections.abc import Callable

_sections: list[Callable] = []


def register_section(render: Callable) -> Callable:
    """render(request, person) -> HTML (a string, "" for nothing)."""
    if render not in _sections:
        _sections.append(render)
    return render


def sections_for(request, person) -> list[str]:
    return [html for render in _sections if (html := render(request, person))]
