"""The channel-neutral reply every answer produces."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class Button:
    title: str
    payload: str

    def as_dict(self) -> Dict[str, str]:
        return {"title": self.title, "payload": self.payload}


def intent_payload(intent: str, **entities: Any) -> str:
    """A Rasa button payload that triggers `intent`, optionally with entities."""
    values = {k: v for k, v in entities.items() if v is not None}
    return f"/{intent}{json.dumps(values, ensure_ascii=False)}" if values else f"/{intent}"


def button(title: str, intent: str, **entities: Any) -> Button:
    return Button(title, intent_payload(intent, **entities))


@dataclass
class Reply:
    text: str
    buttons: List[Button] = field(default_factory=list)
    # Set when the assistant could not answer: the question is stored for staff.
    unanswered_reason: Optional[str] = None
    # Slots to remember for the next turns (programme, level, policy, pending question...).
    slots: Dict[str, Any] = field(default_factory=dict)
    # A questionnaire (form) the chat layer should run next, e.g. "eligibility_form".
    follow_up: Optional[str] = None
    # The aspect this answer is about ("papers", "who"): "Xem đầy đủ" asks for it in full.
    aspect: Optional[str] = None
    # The person erased their data: Rasa's stored conversation goes too (bot.channels.common.ERASE_CONVERSATION).
    erases_conversation: bool = False

    @property
    def unanswered(self) -> bool:
        return self.unanswered_reason is not None
