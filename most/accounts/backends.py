"""Django's ModelBackend, reading the user together with their memberships.

Every page of the workspace needs the logged-in user (looked up from the session on each
request) and their memberships (the active one, and the others for the organisation switcher).
Read one after the other they cost two statements a request; the memberships with their user
joined in are one. Only a user without an active membership needs the second (and then
has none to read again).
"""

from django.contrib.auth.backends import ModelBackend

from .policy import active_memberships


class ModelBackendWithMemberships(ModelBackend):
    def get_user(self, user_id):
        memberships = list(active_memberships(user_id))
        if not memberships:
            user = super().get_user(user_id)
            if user is not None:
                user.active_memberships = []
            return user
        user = memberships[0].user
        for membership in memberships:
            membership.user = user  # one object for the user, not one per joined row
        user.active_memberships = memberships
        return user if self.user_can_authenticate(user) else None
