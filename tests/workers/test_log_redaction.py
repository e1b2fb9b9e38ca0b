"""Personal data never reaches a log line: the real logging setup, real records."""

import io
import json
import logging

import structlog

from workers.logging import configure_logging


def capture(emit) -> dict:
    configure_logging()
    stream = io.StringIO()
    logging.getLogger().handlers[0].stream = stream
    emit()
    return json.loads(stream.getvalue().strip().splitlines()[-1])


def test_phone_numbers_ids_and_name_fields_are_masked_in_structlog_events():
    line = capture(
        lambda: structlog.get_logger("t").info(
            "citizen report", phone="13812345678", officer_name="张三", text="请联系 13987654321，身份证 500103199001011234"
        )
    )
    assert line["phone"] == "[redacted]" and line["officer_name"] == "[redacted]"
    assert "13987654321" not in line["text"] and "139****4321" in line["text"]
    assert "500103199001011234" not in line["text"] and "500103********4" in line["text"]


def test_stdlib_records_with_extra_are_masked_too():
    line = capture(lambda: logging.getLogger("sdk").warning("call 13512345678 now", extra={"contact": "李四"}))
    assert "13512345678" not in line["event"] and line["contact"] == "[redacted]"


def test_codes_that_look_numeric_are_left_alone():
    line = capture(lambda: structlog.get_logger("t").info("assigned", street="500107003", case_id="muck-truck-渝A11111-overloading-30230"))
    assert line["street"] == "500107003" and line["case_id"].endswith("30230")
