"""On-platform vision (平台感知) on the `vision` task queue: vehicle detection, plate
reading, the violation rules and the evidence they leave."""
