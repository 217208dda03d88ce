"""Training: drawings -> augmented rasters -> a small CNN -> a verified ONNX classifier.

Pure compute, no I/O: the ARQ job streams the drawings in and uploads what comes out.
"""
