from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from .models import Role
from .services import hidden_characters_error


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lower()
        # No account has such an address (member_add refuses them): say what is wrong with it
        # rather than "wrong e-mail or password".
        if message := hidden_characters_error(username, email=True):
            raise forms.ValidationError(message)
        return username


class MemberAddForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
