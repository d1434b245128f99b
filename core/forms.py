"""Shared form helpers: Bootstrap classes on plain Django forms (the list filters have their own
small variant, ``core.lists.style_form``)."""

from django import forms


def styled(form):
    """Bootstrap classes on each widget: check boxes, selects, everything else a form control."""
    for field in form.fields.values():
        css = "form-check-input" if isinstance(field, forms.BooleanField) else (
            "form-select" if isinstance(field.widget, forms.Select) else "form-control")
        field.widget.attrs.setdefault("class", css)
    return form


class StyledForm(forms.Form):
    """A form whose widgets carry the Bootstrap classes (``styled``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        styled(self)
