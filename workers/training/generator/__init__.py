"""The shape generator: drawings -> fixed-length pen sequences -> a conditional VAE -> ONNX.

Pure compute, no I/O, like the classifier beside it: the job streams the same selected
drawings in and uploads what comes out; inference/generation.py samples the exported decoder.
"""
