"""The one body of every page that saves a versioned record through its service.

Problems, reserve profiles, projects and milestones each had their own copy of the same
view: GET the form with the version it was loaded at, POST → the service saves with the
version check, a stale save shows the colleague's values beside the user's. One copy keeps
the status codes and the conflict display the same on every page (core.versioning,
core.forms.VersionedFormMixin).
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from keyprojects.core.errors import NotAllowed, StaleEdit


def versioned_form_view(
    request,
    form,
    *,
    service: Callable,
    template: str,
    context: dict | None = None,
    success: str | Callable,
    then=None,
):
    """Render `form` (a VersionedFormMixin ModelForm built on request.POST or None) or save it.

    `service(record, by=user, expected_version=…)` saves the form's unsaved record with the
    version check (core.versioning.save_versioned) and returns it. On POST:
    - invalid input, or an edit posted without its version (the form refuses it) → 400;
    - the service raises StaleEdit → 409: the input and the version the user saw are kept,
      with one 您填写的 / 对方已改为 row per field the colleague changed;
    - the service raises NotAllowed or ValidationError → 400, its messages on the form;
    - saved → `success` (text, or a function of the saved record) is flashed and the browser
      goes to `then` (a URL, model or function of the saved record; default the record).
    """
    if request.method == "POST" and form.is_valid():
        try:
            saved = service(
                form.save(commit=False), by=request.user, expected_version=form.expected_version
            )
        except StaleEdit as exc:
            form.show_conflict(exc)
        except NotAllowed as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:  # the model's own checks, run again by the service
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success(saved) if callable(success) else success)
            target = then(saved) if callable(then) else then
            return redirect(target if target is not None else saved)
    return render(request, template, {"form": form, **(context or {})}, status=form.status_code)
