"""Users in the Django admin: adding one is one page, which takes their e-mail address and
role and makes the record the role needs (an inspector's or QA manager's Inspector record,
a local authority user's authority), through inspections.services.user_create.

Here, not in accounts, because the Inspector record belongs to this app and accounts may
not import it (the layers in pyproject.toml). Django's own User admin is replaced by this
one (inspections.admin imports this module); changing a user is Django's form as before.
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.models import Group

from accounts import roles
from inspections import services
from inspections.models import Inspector, LocalAuthority

User = get_user_model()

ROLE_CHOICES = [
    ("", "Choose a role"),
    (roles.INSPECTOR, "Inspector (HMI)"),
    (roles.QA_MANAGER, "QA manager (Senior HMI)"),
    (roles.AUTHORITY_USER, "Local authority user"),
    (roles.ADMINISTRATOR, "Administrator"),
]


class UserAddForm(AdminUserCreationForm):
    """Django's form for a new user (username, passwords), with their e-mail address, their
    role and what the role needs; checked as the service checks (services.user_problems)."""

    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="The portal tells them here when a letter needs them.",
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        required=False,
        help_text="As it is printed in letters, for example ‘Robin Ashdown’. Needed for an "
        "inspector or QA manager.",
    )
    grade = forms.ChoiceField(
        choices=[
            ("", "Their role’s usual grade: HMI, or Senior HMI for a QA manager"),
            *Inspector.Grade.choices,
        ],
        required=False,
        help_text="For an inspector or QA manager.",
    )
    authority = forms.ModelChoiceField(
        label="Local authority",
        queryset=LocalAuthority.objects.all(),
        required=False,
        empty_label="None",
        help_text="For a local authority user: the authority whose letters they read.",
    )

    class Meta(AdminUserCreationForm.Meta):
        fields = ("username", "email")

    def clean(self):
        cleaned = super().clean()
        problems = services.user_problems(
            role=cleaned.get("role"),
            email=cleaned.get("email"),
            full_name=cleaned.get("full_name", ""),
            authority=cleaned.get("authority"),
        )
        for field, message in problems.items():
            if field not in self.errors:
                self.add_error(field, message)
        # So that the password may not be their name (UserAttributeSimilarityValidator).
        first, _, last = " ".join(cleaned.get("full_name", "").split()).rpartition(" ")
        self.instance.first_name, self.instance.last_name = first, last
        return cleaned

    def save(self, commit=True):
        """The user as filled in, unsaved and without a password: the admin makes them
        through services.user_create (PortalUserAdmin.save_model)."""
        if commit:
            raise NotImplementedError("A user is made through inspections.services.user_create")
        return forms.ModelForm.save(self, commit=False)

    def account(self):
        """user_create's arguments, from the form."""
        data = self.cleaned_data
        return {
            "username": data["username"],
            "email": data["email"],
            "password": data["password1"] if data.get("set_usable_password") else None,
            "role": data["role"],
            "full_name": data.get("full_name", ""),
            "grade": data.get("grade", ""),
            "authority": data.get("authority"),
        }


for model in (User, Group):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


# Plain multiple selects, not Django's two-box filter: its search boxes' icons carry an
# aria-label a <span> may not have (axe: aria-prohibited-attr, serious).
@admin.register(Group)
class PortalGroupAdmin(GroupAdmin):
    filter_horizontal = ()


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    filter_horizontal = ()
    add_form = UserAddForm
    add_form_template = "admin/inspections/user/add_form.html"
    add_fieldsets = (
        (None, {"fields": ("username", "email", "usable_password", "password1", "password2")}),
        ("Role", {"fields": ("role", "full_name", "grade", "authority")}),
    )

    def save_model(self, request, obj, form, change):
        if change:
            return None  # saved with its roles in save_related, through the service
        user = services.user_create(by=request.user, **form.account())
        obj.pk, obj.password = user.pk, user.password
        obj.first_name, obj.last_name, obj.is_staff = user.first_name, user.last_name, user.is_staff
        obj._state.adding = False
        return None

    def response_add(self, request, obj, post_url_continue=None):
        # Django's user admin goes on to the user's change form ("first a username and
        # password, then the rest"); here the one page was everything, so to the list.
        return admin.ModelAdmin.response_add(self, request, obj, post_url_continue)

    def save_related(self, request, form, formsets, change):
        if not change:
            return super().save_related(request, form, formsets, change)
        roles_before = list(form.instance.groups.values_list("name", flat=True))
        super().save_related(request, form, formsets, change)
        services.user_save(
            user=form.instance,
            by=request.user,
            changed=[name for name in form.changed_data if name != "groups"],
            roles_before=roles_before,
        )
        return None
