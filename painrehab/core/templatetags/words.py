"""Display filters that put stored labels into words; no business logic."""

import re

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def text_version(value: object) -> str:
    """A unit text's version label in words: "standard" is the shipped text,
    "v3" or "3" the unit's third version."""
    label = str(value or "")
    if label in {"", "standard"}:
        return _("the standard text")
    number = re.fullmatch(r"v?(\d+)", label)
    if number:
        return _("version %(number)s") % {"number": number[1]}
    return label
