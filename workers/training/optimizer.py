"""How every kind of model is optimised: AdamW under one one-cycle schedule, a step a batch.

The schedule spans the whole run (a warm-up, then annealing towards zero), so it needs the
number of optimiser steps before the first one; it is counted here, once, so a run's progress
bar always ends exactly where its schedule does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import torch
from torch import nn

from workers.training.kind_config import KindConfig

# (inputs, labels) of one batch, as a kind's `batches` yields them (moved to the device here).
Batch = tuple[torch.Tensor, torch.Tensor]
# What a kind makes of a batch: its mean loss, and how many units it got right (a class per
# drawing for the classifier, a stroke per step for the generator).
BatchLoss = Callable[[torch.Tensor, torch.Tensor], tuple[torch.Tensor, torch.Tensor]]


@dataclass(frozen=True, slots=True, eq=False)
class OneCycle:
    optimizer: torch.optim.AdamW
    scheduler: torch.optim.lr_scheduler.OneCycleLR
    total_steps: int


def one_cycle(model: nn.Module, config: KindConfig, examples: int) -> OneCycle:
    """AdamW peaking at `config.lr`, annealed over every step of `config.epochs` epochs of
    `examples` (each epoch ends with one short batch rather than dropping it)."""
    total_steps = -(-examples // config.batch_size) * config.epochs
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config.lr, weight_decay=config.weight_decay
    )
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, config.lr, total_steps=total_steps)
    return OneCycle(optimizer, scheduler, total_steps)


def train_epoch(
    model: nn.Module,
    schedule: OneCycle,
    batches: Iterable[Batch],
    device: torch.device,
    batch_loss: BatchLoss,
    on_step: Callable[[float, float, int], None],
    *,
    units_per_sample: int = 1,
    max_grad_norm: float | None = None,
) -> tuple[float, float]:
    """Mean loss and accuracy over the epoch; `on_step(loss, acc, batch)` after each step,
    with the means so far. `max_grad_norm` clips the gradients before each step."""
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for inputs, labels in batches:
        inputs, labels = inputs.to(device), labels.to(device)
        loss, right = batch_loss(inputs, labels)
        schedule.optimizer.zero_grad(set_to_none=True)
        torch.autograd.backward(loss)
        if max_grad_norm is not None:
            torch.nn.utils.clip_grad_norm_(model.parameters(), max_grad_norm)
        schedule.optimizer.step()
        schedule.scheduler.step()
        b = int(labels.shape[0])
        total_loss += float(loss.detach()) * b
        correct += int(right)
        seen += b
        on_step(total_loss / seen, correct / (seen * units_per_sample), b)
    return total_loss / max(seen, 1), correct / max(seen * units_per_sample, 1)
