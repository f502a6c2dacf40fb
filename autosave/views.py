"""Keeping a form's text on the server as it is typed (static/portal/autosave.js), and
dropping it."""

import json

from django.contrib import messages
from django.core.exceptions import RequestDataTooBig, ValidationError
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from autosave import registry, services

KEY_FIELD = "_autosave_key"


class TooBig(Exception):
    pass


def read(request):
    """(key, data) from a JSON body {"key": ..., "data": {...}}, or from a posted form:
    its fields, and the key in _autosave_key."""
    try:
        if request.content_type == "application/json":
            body = json.loads(request.body or b"null")
            if not isinstance(body, dict):
                raise ValidationError("Send an object with key and data")
            return body.get("key"), body.get("data")
        data = dict(request.POST.lists())
        key = data.pop(KEY_FIELD, [None])[0]
        return key, data
    except RequestDataTooBig:
        raise TooBig from None
    except ValueError as error:  # not JSON
        raise ValidationError("Not JSON") from error


@require_POST
def save(request):
    """204 once kept; 400 for a path that is not a form the user may use, or data that
    is not a form's; 413 for more than any form takes."""
    try:
        key, data = read(request)
        services.draft_save(by=request.user, key=key, data=data)
    except (TooBig, services.TooLarge):
        return HttpResponse(status=413)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    return HttpResponse(status=204)


@require_POST
def discard(request):
    """Drop the kept text: 204 for the page's script, or back to the form (no script)."""
    try:
        key, _ = read(request)
        services.draft_discard(by=request.user, key=key)
    except TooBig:
        return HttpResponse(status=413)
    except ValidationError as error:
        return HttpResponseBadRequest(" ".join(error.messages))
    if request.POST.get("back"):
        messages.success(request, "The text that was not saved has been discarded")
        return redirect(registry.page_of(key))
    return HttpResponse(status=204)
