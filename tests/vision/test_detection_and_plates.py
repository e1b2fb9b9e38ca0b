"""Vehicles and plates on real photos from packages, with a plate rendered in a CJK font."""


import cv2
import pytest

from models.vision.samples import (
    DOG_TRUCK_PLATE_QUAD,
    paste_plate,
    render_plate,
    truck_frame_with_plate,
)
from tests.vision.conftest import CACHE


def _labels(analysis) -> list[str]:
    return sorted(d.label for d in analysis.detections)


def test_darknet_dog_photo_has_the_truck_where_darknet_draws_it(pipeline, sample):
    analysis = pipeline.analyse(cv2.imread(str(sample("dog.jpg"))), read_plates=False)
    assert _labels(analysis) == ["bicycle", "dog", "truck"]
    truck = analysis.trucks()[0].detection
    assert truck.score > 0.7
    assert (truck.box.x1, truck.box.y1, truck.box.x2, truck.box.y2) == pytest.approx((464, 80, 704, 171), abs=8)


def test_street_photo_has_a_bus_and_people(pipeline, sample):
    analysis = pipeline.analyse(cv2.imread(str(sample("bus.jpg"))), read_plates=False)
    assert "bus" in _labels(analysis)
    assert _labels(analysis).count("person") >= 3
    bus = next(v for v in analysis.vehicles if v.detection.label == "bus").detection
    assert bus.box.width > 0.8 * analysis.width


@pytest.mark.parametrize("plate", ["渝A·11111", "川A·B2C86", "渝B·D1234", "京A·F8U73"])
def test_rendered_plate_on_the_truck_is_read_and_normalised(plate, pipeline, sample):
    sample("wqy-microhei.ttc")
    frame = truck_frame_with_plate(plate, CACHE)
    truck = pipeline.analyse(frame).trucks()[0]
    assert truck.plate is not None and truck.plate.text == plate
    assert truck.plate.confidence > 0.8
    corners = truck.plate.corners
    assert corners[0] == pytest.approx(DOG_TRUCK_PLATE_QUAD[0], abs=6)
    assert corners[2] == pytest.approx(DOG_TRUCK_PLATE_QUAD[2], abs=6)


def test_a_truck_without_a_plate_reads_nothing(pipeline, sample):
    frame = cv2.resize(cv2.imread(str(sample("dog.jpg"))), (1440, 1080))
    truck = pipeline.analyse(frame).trucks()[0]
    assert truck.plate is None or truck.plate.text is None


def test_plate_is_read_on_the_vehicle_crop_only(pipeline, sample):
    """A plate painted on the road, outside every vehicle box, is never read."""
    frame = cv2.resize(cv2.imread(str(sample("dog.jpg"))), (1440, 1080))
    plate = render_plate("渝A·11111", sample("wqy-microhei.ttc"))
    frame = paste_plate(frame, plate, ((100, 1000), (220, 1000), (220, 1038), (100, 1038)))
    assert all(v.plate is None or v.plate.text is None for v in pipeline.analyse(frame).vehicles)


def test_street_video_frames_show_passing_cars(pipeline, sample):
    capture = cv2.VideoCapture(str(sample("bikes.mp4")))
    cars_per_frame = []
    index = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            break
        if index % 10 == 0:
            cars_per_frame.append(sum(d.label == "car" for d in pipeline.analyse(frame, read_plates=False).detections))
        index += 1
    assert index == 250
    assert max(cars_per_frame) >= 3
    assert cars_per_frame[:10] == [0] * 10, "the video opens on a parked bicycle, no cars yet"
