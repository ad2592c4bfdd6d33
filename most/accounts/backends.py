"""Django's ModelBackend, reading the user together with their memberships.

Every page of the workspace needs the logged-in user (looked up from the session on each
request) and their memberships (the active one, and the others for the organisation switcher).
Read one after the other they cost two statements a request; the memberships with their user
joined in are one. Only a user without an active membership needs the second (and then
has none to read again). Whether the user has set up a second factor, which every request asks
(policy.second_factor_step), comes in the same statement.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .policy import active_memberships, two_factor_enabled_query


class ModelBackendWithMemberships(ModelBackend):
    def get_user(self, user_id):
        memberships = list(
            active_memberships(user_id).annotate(
                user_two_factor_enabled=two_factor_enabled_query("user_id")
            )
        )
        if not memberships:
            user = self._user_alone(user_id)
            if user is not None:
                user.active_memberships = []
            return user
        user = memberships[0].user
        for membership in memberships:
            membership.user = user  # one object for the user, not one per joined row
        user.active_memberships = memberships
        user.two_factor_enabled = memberships[0].user_two_factor_enabled
        return user if self.user_can_authenticate(user) else None

    def _user_alone(self, user_id):
        users = get_user_model()._default_manager.annotate(
            two_factor_enabled=two_factor_enabled_query()
        )
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
