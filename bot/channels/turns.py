"""A turn the action server could not serve is taken back.

In the production topology the action servers sit behind nginx. When none of them
answers, nginx replies in the action server's own format with GRACEFUL_ACTION_DOWN
and no events (bot/topology.py). Rasa then has half a turn: the person's message is
in the tracker, and a form may even have stored it as an answer nobody checked.
`settle()` notices the graceful text, says it once, and puts the conversation back
in the state it had before the message: every slot the turn changed gets its old value
again and the form (active loop) is the one that was running. (Rasa's `rewind` event
cannot do this inside a form: its replay drops the form.) The person's message and the
apology stay in the history; sending the message again continues where it was.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List

from rasa.shared.core.events import ActiveLoop, Event, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

logger = logging.getLogger(__name__)

GRACEFUL_ACTION_DOWN = ("Xin lỗi, hệ thống đang bận hoặc gián đoạn một chút. Bạn vui lòng gửi lại tin nhắn "
                        "vừa rồi sau ít phút nhé; những gì bạn đã cung cấp vẫn được giữ.")


async def settle(agent: Any, sender: str, messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The replies to send; if an action failed for lack of a server, the turn is rewound."""
    if not any(m.get("text") == GRACEFUL_ACTION_DOWN for m in messages):
        return messages
    try:
        async with agent.lock_store.lock(sender):
            tracker = await agent.processor.get_tracker(sender)
            for event in undo_last_turn(tracker, agent.domain.slots):
                tracker.update(event)
            await agent.processor.save_tracker(tracker)
        logger.warning("no action server answered: the turn was taken back; the person was asked to resend")
    except Exception:  # the apology still goes out
        logger.exception("could not take back a turn the action server did not serve")
    recipient = messages[0].get("recipient_id", sender)
    return [{"recipient_id": recipient, "text": GRACEFUL_ACTION_DOWN}]


def undo_last_turn(tracker: DialogueStateTracker, slots: List[Any]) -> List[Event]:
    """Events that give `tracker` back the slots and form it had before its last user message."""
    events = list(tracker.events)
    last_user = max((i for i, e in enumerate(events) if isinstance(e, UserUttered)), default=None)
    if last_user is None:
        return []
    before = DialogueStateTracker.from_events(tracker.sender_id, events[:last_user], slots=slots)
    undo: List[Event] = []
    if tracker.active_loop_name != before.active_loop_name:
        undo.append(ActiveLoop(before.active_loop_name))
    for name, slot in tracker.slots.items():
        old = before.slots[name].value if name in before.slots else None
        if slot.value != old:
            undo.append(SlotSet(name, old))
    return undo
