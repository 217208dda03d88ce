"""Model input and serving: the one rasteriser, the onnxruntime runtime, generation."""
