"""The process-wide state a training run of any kind sets: device, CPU threads, seeds.

The job names the device before training starts (it takes that device's lock) and the loop
then trains on it, so both must resolve a config's "auto", "cpu" or "cuda" the same way.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import torch

from workers.training.errors import TrainingError


class DeviceUnavailable(TrainingError):
    """Raised when the config demands a device this worker does not have."""


def pick_device(choice: str) -> torch.device:
    """The device a config's `device` ("auto", "cpu" or "cuda") trains on here."""
    if choice == "cuda" or (choice == "auto" and torch.cuda.is_available()):
        return torch.device("cuda")
    return torch.device("cpu")


def device_name(choice: str) -> str:
    """The device the run will use, as the device lock names it ("cpu", "cuda:0")."""
    if choice == "cuda" and not torch.cuda.is_available():
        raise DeviceUnavailable(
            'the config asks for device "cuda" but this worker has no usable CUDA GPU '
            '(use "auto" to train on whatever the worker has)'
        )
    if pick_device(choice).type == "cuda":
        return f"cuda:{torch.cuda.current_device()}"
    return "cpu"


@contextmanager
def cpu_threads(wanted: int) -> Iterator[None]:
    """PyTorch's CPU thread count for one run (0: every core this process may use), put back
    afterwards: the count is process-wide and the worker runs other jobs after this one."""
    previous = torch.get_num_threads()
    torch.set_num_threads(wanted or len(os.sched_getaffinity(0)))
    try:
        yield
    finally:
        torch.set_num_threads(previous)


def seed_run(seed: int) -> np.random.Generator:
    """Seed PyTorch's global generator (initial weights, sampling noise) and return the numpy
    one for shuffling and augmentation, both from the config's seed: one config, one model."""
    torch.manual_seed(seed)
    return np.random.default_rng(seed + 1)
