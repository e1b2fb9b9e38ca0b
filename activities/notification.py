"""The outbox (发件箱): every notification is recorded first, then delivered, then marked.

Recording under the workflow's step key makes a retried or replayed send find the same
row; a row already marked delivered is not sent again.
"""

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session
from temporalio import activity

from activities.logs import case_logger
from activities.notifiers import Notifier
from models.steps import Notification
from models.store.casework import OutboxMessage
from models.store.upsert import upsert


class NotificationActivities:
    def __init__(self, engine: Engine, notifiers: list[Notifier]) -> None:
        self.engine = engine
        self.notifiers = notifiers

    @activity.defn(name="send_notification")
    def send(self, message: Notification) -> None:
        with Session(self.engine) as session:
            row = OutboxMessage(
                key=message.key,
                case_id=message.case_id,
                recipient_role=message.recipient_role.value,
                recipient_id=message.recipient_id,
                kind=message.kind,
                text=message.text,
                created_at=datetime.now(UTC),
            )
            upsert(session, OutboxMessage, [row.model_dump()], keys=("key",), keep=tuple(OutboxMessage.model_fields))
            session.commit()
            stored = session.get(OutboxMessage, message.key)
            if stored.delivered_at is not None:
                return
            for notifier in self.notifiers:
                notifier.deliver(message)
            stored.delivered_at = datetime.now(UTC)
            stored.channels = [notifier.name for notifier in self.notifiers]
            session.add(stored)
            session.commit()
        case_logger("notification").info("delivered", key=message.key, kind=message.kind)
