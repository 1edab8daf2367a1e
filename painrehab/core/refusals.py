"""The text to show for a refused action, whichever kind of refusal it is."""


def refusal_text(refusal: Exception) -> str:
    """The refusal's user-facing message (Swedish when the UI is Swedish)."""
    return str(getattr(refusal, "message", refusal))
