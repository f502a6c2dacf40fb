"""The second factor: a time-based one-time password for QA managers and administrators;
the session's time left, and staying signed in."""

import base64
import datetime
import time

import segno
from crispy_forms_gds.layout import Field
from django import forms
from django.contrib import messages
from django.contrib.auth.views import LoginView
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import throttle
from accounts.forms import SignInForm
from accounts.middleware import SEEN_AT, seconds_left
from audit import services as audit
from govuk.forms import GovFormMixin


class CodeForm(GovFormMixin, forms.Form):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code the app shows now",
        max_length=8,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )

    def __init__(self, *args, device, **kwargs):
        super().__init__(*args, **kwargs)
        self.device = device
        self.set_layout(Field.text("code", field_width=5))

    def clean_code(self):
        code = self.cleaned_data["code"].replace(" ", "")
        # verify_token also slows repeated failures down (django-otp's throttling).
        if not code.isdigit() or not self.device.verify_token(code):
            raise forms.ValidationError("The code is not right. Enter the code the app shows now")
        return code


def next_page(request):
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect(f"/sign-in/two-factor/setup/?next={next_page(request)}")
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST":
        if form.is_valid():
            otp_login(request, device)
            audit.record("auth.second_factor", by=request.user, target=request.user)
            return redirect(next_page(request))
        audit.record("auth.second_factor_failed", by=request.user, target=request.user)
    return render(
        request, "registration/two_factor.html", {"form": form, "next": next_page(request)}
    )


# A set-up's secret is shown once, for this long: someone who saw the page cannot use
# its secret later, because each new set-up makes a new one.
SETUP_LIFETIME = datetime.timedelta(minutes=10)
SETUP_DEVICE = "two_factor_setup_device"


def setup_device(request):
    """The unconfirmed device this session's set-up page showed, if still fresh."""
    device = TOTPDevice.objects.filter(
        pk=request.session.get(SETUP_DEVICE),
        user=request.user,
        confirmed=False,
        created_at__gte=timezone.now() - SETUP_LIFETIME,
    ).first()
    return device


def new_setup_device(request):
    """A new secret for a new set-up; any earlier unconfirmed device goes."""
    TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=request.user, confirmed=False, name="Authenticator app")
    request.session[SETUP_DEVICE] = device.pk
    return device


def two_factor_setup(request):
    if confirmed_device(request.user) is not None:
        return redirect(f"/sign-in/two-factor/?next={next_page(request)}")
    if request.method == "POST":
        device = setup_device(request)
        if device is None:
            messages.error(
                request, "The set-up took too long, so it has started again. Scan the new code."
            )
            return redirect(f"{request.path}?next={next_page(request)}")
    else:
        device = new_setup_device(request)
    form = CodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        request.session.pop(SETUP_DEVICE, None)
        otp_login(request, device)
        audit.record("auth.second_factor_set_up", by=request.user, target=request.user)
        messages.success(request, "Your authenticator app is set up")
        return redirect(next_page(request))
    qr = segno.make(device.config_url, error="m")
    key = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": next_page(request),
            "qr": qr.png_data_uri(scale=5, border=2),
            "key": " ".join(key[i : i + 4] for i in range(0, len(key), 4)),
        },
    )


def session_status(request):
    """How many seconds the session has left, for the timeout warning
    (static/portal/timeout.js). Asking does not move the idle clock on
    (accounts.middleware.quiet_paths)."""
    return JsonResponse({"expires_in": seconds_left(request.session)})


@require_POST
def keep_alive(request):
    """Stay signed in: the idle clock starts again now, however recently it last moved
    (the refresh interval saves writes, not this). The 12-hour limit still holds: the
    answer says how long is left, which may be less than the idle limit."""
    request.session[SEEN_AT] = time.time()
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"expires_in": seconds_left(request.session)})
    return redirect(next_page(request))


class SignInView(LoginView):
    """Django's sign-in, refused before any password is checked to an address that has
    failed too often this hour (accounts.throttle)."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        if throttle.address_blocked(request):
            address = request.META.get("REMOTE_ADDR", "")
            audit.record_refusal(by=None, key=f"sign-in from {address}", address=address)
            return render(request, "registration/throttled.html", status=429)
        return super().post(request, *args, **kwargs)
