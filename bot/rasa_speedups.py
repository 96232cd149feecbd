"""One measured fix to Rasa 3.6's per-message cost.

Rasa checks every action server response with `jsonschema.validate(result, schema)`.
That call first validates the *schema itself* against the JSON Schema metaschema, and
builds a new validator, every time. Under load this took 16 % of a Rasa process's CPU
samples, about a third of the time spent handling messages (py-spy on bench/load.py,
2026-11-22). The same check with the validator built once gives the same verdicts and
the same error (best match, with Rasa's hint appended).

`install()` is called when Rasa loads our REST channel (bot/channels/rest.py), so every
Rasa process started with this repository's credentials.yml has it.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema import ValidationError
from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)  # once, not per message
    return cls(schema)


def validate_action_result(_action: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(_response_validator().iter_errors(result))
    if error is not None:
        error.message += (". Failed to validate Action server response from API, make sure your response from "
                          f"the Action endpoint is valid. For more information about the format visit "
                          f"{DOCS_BASE_URL}/custom-actions")
        raise error
    return True


def install() -> None:
    RemoteAction._validate_action_result = validate_action_result


__all__ = ["install", "validate_action_result", "ValidationError"]
