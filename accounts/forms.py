"""The sign-in form."""

from crispy_forms_gds.layout import Field, Fluid
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from govuk.forms import GovFormMixin


class SignInForm(GovFormMixin, AuthenticationForm):
    """Django's sign-in, with GOV.UK messages; the same answer for every wrong guess."""

    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "Enter a correct username and password",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        # Django sets the length after building the field, so nothing checks it: a name
        # no account can have would reach the lock-out's records (255 characters).
        self.fields["username"].validators.append(
            MaxLengthValidator(
                self.username_field.max_length, "Enter a correct username and password"
            )
        )
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.set_layout(
            Field.text("username", field_width=Fluid.ONE_HALF),
            Field.text("password", field_width=Fluid.ONE_HALF),
        )
