"""What the higher apps add to the pathway's own writes and rules.

The pathway sits below questionnaires and programmes, yet closing an episode
closes its questionnaire requests, and a KRT episode's follow-ups count from
its cohort's last theory session. Those apps register their part here in
their AppConfig.ready (as the programmes app registers its busy sources in
`busy`), so the pathway imports none of them.
"""

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from painrehab.accounts.models import Membership
    from painrehab.pathway.models import Episode


class Closing(Protocol):
    """Called inside the transaction that closes an episode (discharge or end);
    what it returns is not read."""

    def __call__(self, *, by: "Membership", episode: "Episode") -> object: ...


ON_CLOSING: list[Closing] = []
# Each gives {episode id: day of its cohort's last theory session}.
LAST_THEORY_SESSIONS: list[Callable[[list[int]], dict[int, date]]] = []


Hook = TypeVar("Hook", bound=Callable[..., object])


def register(hooks: list[Hook], function: Hook) -> None:
    """Add `function` to `hooks` (once, however often an app is made ready)."""
    if function not in hooks:
        hooks.append(function)


def closing(*, by: "Membership", episode: "Episode") -> None:
    """Let the higher apps close their part of `episode`, in the caller's transaction."""
    for hook in ON_CLOSING:
        hook(by=by, episode=episode)


def last_theory_sessions(episode_ids: Iterable[int]) -> dict[int, date]:
    """The day of each episode's cohort's last theory session, where known."""
    ids = list(episode_ids)
    found: dict[int, date] = {}
    if not ids:
        return found
    for source in LAST_THEORY_SESSIONS:
        found.update(source(ids))
    return found
