"""Delivery channels for the outbox. A notifier must tolerate a repeat of the same key
(the outbox delivers at most once per key, but a crash between delivery and marking it
delivered can repeat one); the webhook passes the key as `Idempotency-Key`.
"""

from typing import Protocol
from urllib.parse import quote

import httpx
import structlog

from models.settings import Settings
from models.steps import Notification


class Notifier(Protocol):
    name: str

    def deliver(self, message: Notification) -> None: ...


class LogNotifier:
    name = "log"

    def deliver(self, message: Notification) -> None:
        structlog.get_logger("onething.notify").info(
            "notification",
            key=message.key,
            case_id=message.case_id,
            to=f"{message.recipient_role.value}:{message.recipient_id}",
            kind=message.kind,
            text=message.text,
        )


class WebhookNotifier:
    """One pooled client for the worker's life: a client per message spent ~20 ms of CPU
    building a TLS context each time and held the street worker to ~40 sends/s."""

    name = "webhook"

    def __init__(self, url: str, timeout_s: float = 5.0) -> None:
        self.url = url
        self.http = httpx.Client(timeout=timeout_s)  # thread-safe: activity threads share it

    def deliver(self, message: Notification) -> None:
        response = self.http.post(
            self.url,
            json=message.model_dump(mode="json"),
            headers={"Idempotency-Key": quote(message.key, safe="#:")},  # keys carry plates (渝A…): not ASCII
        )
        response.raise_for_status()  # the activity retries until the receiver takes it


def notifiers_from(settings: Settings) -> list[Notifier]:
    notifiers: list[Notifier] = [LogNotifier()]
    if settings.notify_webhook_url:
        notifiers.append(WebhookNotifier(settings.notify_webhook_url))
    return notifiers
