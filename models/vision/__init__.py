"""On-platform vision (平台感知): pinned model sources, the darknet → ONNX converter, the
model build cache and the types a frame analysis crosses boundaries with."""
