"""The failures of a training job whose message alone tells an admin what to change.

The job records their message as is and logs no traceback; anything else is recorded with its
type name and logged in full, because it is a bug or an outage rather than a bad request.
Free of PyTorch, so the job can name them before it has imported the training code.
"""

from __future__ import annotations


class ConfigError(ValueError):
    """Raised when a config value is outside what the pipeline supports."""


class TrainingError(Exception):
    """A training job cannot succeed as configured (no data, no such device, bad export)."""


class TrainingStopped(Exception):
    """The job was asked to stop (an admin's cancel, or the reaper failed it) mid-way."""
