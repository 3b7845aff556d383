"""Template filters of the ledger pages."""

from django import template

register = template.Library()

_STATE_CLASS = {
    "overdue": "error",
    "due_soon": "warning",
    "open": "info",
    "paused": "pending",
    "awaiting_correction": "pending",
    "awaiting_payment": "pending",
    "closed": "ok",
}


@register.filter
def get(mapping, key):
    try:
        return mapping.get(key, key if isinstance(key, str) else "")
    except AttributeError:
        return ""


@register.filter
def qs(flt, override: str) -> str:
    """The filter's query string with one parameter replaced: flt|qs:'state=overdue'."""
    key, _, value = override.partition("=")
    return flt.query_string(**{key: value})


@register.filter
def state_class(state: str) -> str:
    return _STATE_CLASS.get(state, "")


@register.filter
def value_of(mapping, key) -> str:
    """mapping[key], or an empty string."""
    return (mapping or {}).get(key, "") or ""
