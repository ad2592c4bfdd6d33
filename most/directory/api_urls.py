"""The HSDS endpoints, as the specification spells them (no trailing slash; one is accepted)."""

from django.urls import re_path

from . import api

app_name = "hsds"


def _route(path, view, name):
    return re_path(rf"^{path}/?$", view, name=name)


ONE = r"/(?P<pk>[^/]+)"
urlpatterns = [
    re_path(r"^$", api.index, name="index"),
    _route("services", api.services, "services"),
    _route("services" + ONE, api.service, "service"),
    _route("organizations", api.organizations, "organizations"),
    _route("organizations" + ONE, api.organization, "organization"),
    _route("service_at_locations", api.service_at_locations, "service_at_locations"),
    _route("service_at_locations" + ONE, api.service_at_location, "service_at_location"),
    _route("taxonomies", api.taxonomies, "taxonomies"),
    _route("taxonomies" + ONE, api.taxonomy, "taxonomy"),
    _route("taxonomy_terms", api.taxonomy_terms, "taxonomy_terms"),
    _route("taxonomy_terms" + ONE, api.taxonomy_term, "taxonomy_term"),
]
