"""views.open for the fake Slack Web API: opens a modal the way Slack does, or says why not.

Slack refuses a view that breaks Block Kit's limits with ``invalid_arguments`` and the reasons
in ``response_metadata.messages``; a trigger id works once (``exchanged_trigger_id`` after)
and expires after 3 seconds (``expired_trigger_id``: put it in ``expired`` to get that). An
opened view comes back with its id, hash and an empty ``state``, as Slack returns it, and is
kept in ``opened`` for tests to read.
"""

from __future__ import annotations

import itertools
from typing import Any

Params = dict[str, Any]

MAX_BLOCKS = 100
_INPUT_ELEMENTS = frozenset(
    {"plain_text_input", "static_select", "multi_static_select", "datepicker", "checkboxes",
     "radio_buttons", "users_select", "conversations_select", "number_input", "email_text_input",
     "url_text_input", "rich_text_input", "timepicker",
     "multi_users_select"}  # the pilot form's owners
)  # fmt: skip


class FakeViews:
    def __init__(self, team_id: str, bot_id: str) -> None:
        self.team_id = team_id
        self.bot_id = bot_id
        self.opened: list[Params] = []
        self.expired: set[str] = set()
        self._used: set[str] = set()
        self._ids = itertools.count(1)

    def open(self, params: Params) -> Params:
        trigger, view = params.get("trigger_id"), params.get("view")
        if not isinstance(trigger, str) or not trigger or not isinstance(view, dict):
            return _invalid(["[ERROR] missing required field: trigger_id or view"])
        if trigger in self.expired:
            return {"ok": False, "error": "expired_trigger_id"}
        if trigger in self._used:
            return {"ok": False, "error": "exchanged_trigger_id"}
        problems = modal_problems(view)
        if problems:
            return _invalid(problems)
        self._used.add(trigger)
        number = next(self._ids)
        opened = {
            "id": f"V{number:010d}", "team_id": self.team_id, "type": "modal",
            "blocks": view["blocks"], "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""), "state": {"values": {}},
            "hash": f"1700000000.{number:08d}", "title": view["title"],
            "submit": view.get("submit"), "close": view.get("close"),
            "clear_on_close": False, "notify_on_close": False, "external_id": "",
            "root_view_id": f"V{number:010d}", "previous_view_id": None,
            "app_id": "A0001", "bot_id": self.bot_id,
        }  # fmt: skip
        self.opened.append(opened)
        return {"ok": True, "view": opened}


def _invalid(messages: list[str]) -> Params:
    return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": messages}}


def _plain(obj: Any, limit: int, where: str, problems: list[str]) -> None:
    if not isinstance(obj, dict) or obj.get("type") != "plain_text":
        problems.append(f"[ERROR] {where} must be a plain_text object")
    elif not isinstance(obj.get("text"), str) or not 0 < len(obj["text"]) <= limit:
        problems.append(f"[ERROR] {where} must be 1 to {limit} characters")


def modal_problems(view: Params) -> list[str]:
    """What Slack would refuse in a modal view (the limits winsbot could break)."""
    problems: list[str] = []
    if view.get("type") != "modal":
        problems.append("[ERROR] view.type must be modal")
    _plain(view.get("title"), 24, "title", problems)
    for button in ("submit", "close"):
        if button in view:
            _plain(view[button], 24, button, problems)
    if len(str(view.get("private_metadata", ""))) > 3000:
        problems.append("[ERROR] private_metadata must be at most 3000 characters")
    if len(str(view.get("callback_id", ""))) > 255:
        problems.append("[ERROR] callback_id must be at most 255 characters")
    blocks = view.get("blocks")
    if not isinstance(blocks, list) or len(blocks) > MAX_BLOCKS:
        return [*problems, f"[ERROR] blocks must be a list of at most {MAX_BLOCKS}"]
    block_ids = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("block_id")]
    if len(block_ids) != len(set(block_ids)):
        problems.append("[ERROR] block_id values must be unique")
    inputs = 0
    for n, block in enumerate(blocks):
        where = f"blocks[{n}]"
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "input":
            inputs += 1
            _input_problems(block, where, problems)
        elif kind == "context":
            elements = block.get("elements")
            if not isinstance(elements, list) or not 0 < len(elements) <= 10:
                problems.append(f"[ERROR] {where}.elements must hold 1 to 10 elements")
                continue
            for i, element in enumerate(elements):
                if not isinstance(element, dict) or len(str(element.get("text", ""))) > 2000:
                    problems.append(f"[ERROR] {where}.elements[{i}].text: at most 2000")
        elif kind not in ("section", "divider", "header", "actions", "rich_text", "image"):
            problems.append(f"[ERROR] {where}.type {kind!r} is not a block a modal takes")
    if inputs and "submit" not in view:
        problems.append("[ERROR] a view with input blocks needs a submit button")
    return problems


def _input_problems(block: Params, where: str, problems: list[str]) -> None:
    _plain(block.get("label"), 2000, f"{where}.label", problems)
    if "hint" in block:
        _plain(block["hint"], 2000, f"{where}.hint", problems)
    element = block.get("element")
    if not isinstance(element, dict) or element.get("type") not in _INPUT_ELEMENTS:
        problems.append(f"[ERROR] {where}.element must be an input element")
        return
    if len(str(element.get("action_id", ""))) > 255:
        problems.append(f"[ERROR] {where}.element.action_id must be at most 255 characters")
    if "placeholder" in element:
        _plain(element["placeholder"], 150, f"{where}.element.placeholder", problems)
    if element["type"] == "plain_text_input":
        most = element.get("max_length", 3000)
        if not isinstance(most, int) or not 0 < most <= 3000:
            problems.append(f"[ERROR] {where}.element.max_length must be 1 to 3000")
            return
        initial = element.get("initial_value")
        if initial is not None and (not isinstance(initial, str) or len(initial) > most):
            problems.append(f"[ERROR] {where}.element.initial_value is longer than max_length")
