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


class TwoFactorRolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles that sign in with a second factor"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Members in these roles who have not set one up are asked to at their next page."
        ),
    )


def _without_spaces(value):
    # Apps show codes in groups ("123 456"), and people copy them with spaces or dashes.
    return "".join(value.replace("-", " ").split())


class TwoFactorConfirmForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the app"),
        max_length=20,
        help_text=_("The 6 digits the app shows for Most."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def clean_code(self):
        code = _without_spaces(self.cleaned_data["code"])
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the 6 digits the app shows, nothing else."))
        return code


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autofocus": True,
                "autocapitalize": "off",
                "spellcheck": "false",
            }
        ),
    )

    def clean_code(self):
        return _without_spaces(self.cleaned_data["code"])
