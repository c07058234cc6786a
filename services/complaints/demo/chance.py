"""Sample complaints, drawing helpers: weighted choices and shapes from uniform numbers."""

from __future__ import annotations

import bisect
import math

import numpy as np


def cumulative(weights) -> list[float]:
    """Running shares of `weights`, the last exactly 1."""
    total = float(sum(weights))
    out, running = [], 0.0
    for w in weights:
        running += w / total
        out.append(running)
    out[-1] = 1.0
    return out


def choose(u: float, keys: list, shares: list[float]):
    """The key whose running share (`shares`, from `cumulative`) holds the uniform `u`."""
    return keys[min(bisect.bisect_right(shares, u), len(keys) - 1)]


def pick_u(u: float, words):
    """One of `words`, all equally likely, by the uniform `u`."""
    return words[min(int(u * len(words)), len(words) - 1)]


def rows_choice(rng: np.random.Generator, weights: np.ndarray) -> np.ndarray:
    """One column index per row of `weights` (non-negative, each row with a positive sum)."""
    cumulative = np.cumsum(weights, axis=1)
    u = rng.random(len(weights)) * cumulative[:, -1]
    return np.minimum((cumulative <= u[:, None]).sum(axis=1), weights.shape[1] - 1)


def triangular(u: float, low: float, mode: float, high: float) -> float:
    """The triangular distribution's quantile of `u`."""
    split = (mode - low) / (high - low)
    if u < split:
        return low + math.sqrt(u * (high - low) * (mode - low))
    return high - math.sqrt((1 - u) * (high - low) * (high - mode))
