"""EurekaTutor: learn a talk's claims and quotes with an adaptive, FSRS-scheduled tutor."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eurekatutor.tutor import Tutor

__all__ = ["Tutor"]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    # Imported lazily so that `eurekatutor.domain` can be used without loading the store.
    if name == "Tutor":
        from eurekatutor.tutor import Tutor

        return Tutor
    raise AttributeError(name)
