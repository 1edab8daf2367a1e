"""The staff login form."""

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form, with the user name's length checked before a login
    is tried: its own form sets the length after the field's validators are
    made, so a name of 100,000 characters reached the lockout's 255-character
    column (a server error on PostgreSQL, found by the fuzz run)."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        longest = get_user_model()._meta.get_field("username").max_length or 150
        self.fields["username"].validators.append(MaxLengthValidator(longest))
