"""Darknet YOLO → ONNX, with numpy and `onnx` only (no framework, no network).

The graph ends in the YOLO decoding itself, so a session's outputs are ready boxes and
scores and the Python side only thresholds and suppresses:
- `boxes` [1, N, 4]: centre x, centre y, width, height as fractions of the network input
  (a plain resize, so they are fractions of the original frame too);
- `scores` [1, N, classes]: objectness × class probability, as darknet and OpenCV rank them.

Batch norm is folded into the convolutions (darknet's `(x - mean) / (sqrt(var) + 1e-6)`).
The output is deterministic: the same cfg and weights give the same bytes.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from models.pinned import BuildInputError
from models.vision.darknet import Section, WeightsReader, parse_cfg

OPSET = 13
LEAKY_SLOPE = 0.1
BN_EPSILON = 1e-6


class _Graph:
    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.count = 0

    def name(self, hint: str) -> str:
        self.count += 1
        return f"{hint}_{self.count}"

    def const(self, hint: str, array: np.ndarray) -> str:
        name = self.name(hint)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, op_type: str, inputs: list[str], hint: str | None = None, **attrs) -> str:
        out = self.name(hint or op_type.lower())
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out


def convert(cfg_text: str, weights: bytes, *, model_name: str = "yolov4-tiny") -> onnx.ModelProto:
    sections = parse_cfg(cfg_text)
    net, layers = sections[0], sections[1:]
    width, height, channels = net.int("width"), net.int("height"), net.int("channels", 3)
    reader = WeightsReader(weights)
    graph = _Graph()
    outputs: list[str] = []  # per layer: tensor name
    depths: list[int] = []  # per layer: channel count
    heads: list[tuple[str, Section, int, int]] = []
    current, depth, size = "image", channels, (height, width)
    sizes: list[tuple[int, int]] = []
    for index, layer in enumerate(layers):
        if layer.kind == "convolutional":
            current, depth, size = _conv(graph, reader, layer, current, depth, size)
        elif layer.kind == "maxpool":
            stride, kernel = layer.int("stride"), layer.int("size")
            if stride != kernel or size[0] % stride or size[1] % stride:
                raise BuildInputError("only maxpool with size == stride on divisible inputs is supported")
            current = graph.op("MaxPool", [current], kernel_shape=[kernel, kernel], strides=[stride, stride])
            size = (size[0] // stride, size[1] // stride)
        elif layer.kind == "upsample":
            stride = layer.int("stride")
            scales = graph.const("scales", np.array([1, 1, stride, stride], dtype=np.float32))
            current = graph.op(
                "Resize", [current, "", scales], mode="nearest",
                coordinate_transformation_mode="asymmetric", nearest_mode="floor",
            )
            size = (size[0] * stride, size[1] * stride)
        elif layer.kind == "route":
            sources = [i if i >= 0 else index + i for i in layer.ints("layers")]
            groups, group_id = layer.int("groups", 1), layer.int("group_id", 0)
            if groups != 1:
                if len(sources) != 1:
                    raise BuildInputError("a grouped route takes one layer")
                part = depths[sources[0]] // groups
                start = graph.const("start", np.array([part * group_id], dtype=np.int64))
                end = graph.const("end", np.array([part * (group_id + 1)], dtype=np.int64))
                axis = graph.const("axis", np.array([1], dtype=np.int64))
                current = graph.op("Slice", [outputs[sources[0]], start, end, axis])
                depth = part
            elif len(sources) == 1:
                current, depth = outputs[sources[0]], depths[sources[0]]
            else:
                current = graph.op("Concat", [outputs[s] for s in sources], axis=1)
                depth = sum(depths[s] for s in sources)
            size = sizes[sources[0]]
        elif layer.kind == "yolo":
            heads.append((current, layer, *size))
        else:
            raise BuildInputError(f"darknet layer [{layer.kind}] is not supported by this converter")
        outputs.append(current)
        depths.append(depth)
        sizes.append(size)
    reader.finish()
    if not heads:
        raise BuildInputError("the cfg has no [yolo] layer")
    decoded = [_decode(graph, raw, layer, grid_h, grid_w, width, height) for raw, layer, grid_h, grid_w in heads]
    boxes = graph.op("Concat", [b for b, _ in decoded], "boxes", axis=1)
    scores = graph.op("Concat", [s for _, s in decoded], "scores", axis=1)
    count = sum(len(layer.ints("mask")) * h * w for _, layer, h, w in heads)
    classes = heads[0][1].int("classes")
    graph.nodes.append(helper.make_node("Identity", [boxes], ["boxes"], name="out_boxes"))
    graph.nodes.append(helper.make_node("Identity", [scores], ["scores"], name="out_scores"))
    model_graph = helper.make_graph(
        graph.nodes,
        model_name,
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, channels, height, width])],
        [
            helper.make_tensor_value_info("boxes", TensorProto.FLOAT, [1, count, 4]),
            helper.make_tensor_value_info("scores", TensorProto.FLOAT, [1, count, classes]),
        ],
        graph.initializers,
    )
    model = helper.make_model(
        model_graph, producer_name="onething-darknet-onnx", producer_version="1",
        opset_imports=[helper.make_opsetid("", OPSET)],
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def _conv(graph: _Graph, reader: WeightsReader, layer: Section, current: str, depth: int, size: tuple[int, int]):
    filters, kernel, stride = layer.int("filters"), layer.int("size"), layer.int("stride", 1)
    pad = kernel // 2 if layer.int("pad", 0) else layer.int("padding", 0)
    if layer.int("groups", 1) != 1:
        raise BuildInputError("grouped convolutions are not supported")
    if layer.int("batch_normalize", 0):
        beta, gamma, mean, variance = (reader.take(filters) for _ in range(4))
        weights = reader.take(filters * depth * kernel * kernel).reshape(filters, depth, kernel, kernel)
        scale = gamma / (np.sqrt(variance) + BN_EPSILON)
        weights = weights * scale[:, None, None, None]
        bias = beta - mean * scale
    else:
        bias = reader.take(filters)
        weights = reader.take(filters * depth * kernel * kernel).reshape(filters, depth, kernel, kernel)
    out = graph.op(
        "Conv",
        [current, graph.const("w", weights.astype(np.float32)), graph.const("b", bias.astype(np.float32))],
        kernel_shape=[kernel, kernel], strides=[stride, stride], pads=[pad] * 4,
    )
    activation = layer.text("activation", "linear")
    if activation == "leaky":
        out = graph.op("LeakyRelu", [out], alpha=LEAKY_SLOPE)
    elif activation != "linear":
        raise BuildInputError(f"activation {activation} is not supported")
    out_h = (size[0] + 2 * pad - kernel) // stride + 1
    out_w = (size[1] + 2 * pad - kernel) // stride + 1
    return out, filters, (out_h, out_w)


def _decode(graph: _Graph, raw: str, layer: Section, grid_h: int, grid_w: int, net_w: int, net_h: int):
    """darknet's yolo layer: x = (i + σ(tx)·s − (s−1)/2) / W, w = anchor · exp(tw) / net width."""
    mask = layer.ints("mask")
    anchors = np.array(layer.ints("anchors"), dtype=np.float32).reshape(-1, 2)[mask]
    classes = layer.int("classes")
    scale = layer.float("scale_x_y", 1.0)
    per_box = 5 + classes
    cells = len(mask) * grid_h * grid_w
    shape = graph.const("shape", np.array([1, len(mask), per_box, grid_h, grid_w], dtype=np.int64))
    rows = graph.op("Transpose", [graph.op("Reshape", [raw, shape])], perm=[0, 1, 3, 4, 2])
    rows = graph.op("Reshape", [rows, graph.const("shape", np.array([1, cells, per_box], dtype=np.int64))])

    def columns(start: int, end: int) -> str:
        return graph.op(
            "Slice",
            [
                rows,
                graph.const("start", np.array([start], dtype=np.int64)),
                graph.const("end", np.array([end], dtype=np.int64)),
                graph.const("axis", np.array([2], dtype=np.int64)),
            ],
        )

    ys, xs = np.meshgrid(np.arange(grid_h), np.arange(grid_w), indexing="ij")
    cell = np.stack([xs, ys], axis=-1).astype(np.float32).reshape(1, 1, grid_h * grid_w, 2)
    cell = np.broadcast_to(cell, (1, len(mask), grid_h * grid_w, 2)).reshape(1, cells, 2)
    grid = np.array([grid_w, grid_h], dtype=np.float32)
    offset = cell / grid - (scale - 1) / 2 / grid
    prior = np.broadcast_to(anchors[None, :, None, :], (1, len(mask), grid_h * grid_w, 2)).reshape(1, cells, 2)
    prior = prior / np.array([net_w, net_h], dtype=np.float32)

    xy = graph.op("Mul", [graph.op("Sigmoid", [columns(0, 2)]), graph.const("xy_scale", scale / grid)])
    xy = graph.op("Add", [xy, graph.const("cell", offset.astype(np.float32))])
    wh = graph.op("Mul", [graph.op("Exp", [columns(2, 4)]), graph.const("prior", prior.astype(np.float32))])
    boxes = graph.op("Concat", [xy, wh], axis=2)
    scores = graph.op("Mul", [graph.op("Sigmoid", [columns(4, 5)]), graph.op("Sigmoid", [columns(5, per_box)])])
    return boxes, scores
