"""Turn a decoder posterior into a calibrated confidence: a small logistic model.

A turn's confidence is ``sigmoid(bias + posterior * p + log_words * log(words))``: the mean
posterior of its units, and its length. With the hand-made evidence alone long turns were
right more often than their posterior said; with the learned models (change, role,
affinity) their posteriors are sharper and the refit puts length's weight near zero. The
weights are fitted by ``bench/speakers.py --loco --fit`` on the dev conversations
(posteriors of each one decoded with the change model fitted on the others) and checked by
leaving each out in turn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

# From ``python bench/speakers.py --loco --fit`` with the learned models (speakers.npz):
# leave-one-case-out ECE 0.046 (0.106 with the weights fitted before them). The learned
# evidence makes long turns' posteriors sharper, so length no longer adds to the posterior.
CONFIDENCE: dict[str, float] = {"bias": -2.236, "posterior": 3.177, "log_words": -0.003}


def confidence(posterior: float, words: int, weights: Mapping[str, float] = CONFIDENCE) -> float:
    """The probability that a turn of ``words`` words with this mean posterior is right."""
    z = (weights["bias"] + weights["posterior"] * posterior
         + weights["log_words"] * math.log(max(words, 1)))
    return _sigmoid(z)


def fit_confidence(samples: Sequence[tuple[float, int, bool]], l2: float = 1.0) -> dict[str, float]:
    """Fit the weights on ``(mean posterior, words, right)`` turns: L2-regularised logistic
    regression (the bias unpenalised) by Newton's method. Needs turns both right and wrong."""
    if not any(right for _, _, right in samples) or all(right for _, _, right in samples):
        raise ValueError("fitting confidence needs turns both right and wrong")
    rows = [((1.0, posterior, math.log(max(words, 1))), float(right)) for posterior, words, right in samples]
    w = [0.0, 0.0, 0.0]
    for _ in range(50):
        gradient = [l2 * w[i] if i else 0.0 for i in range(3)]
        hessian = [[(l2 if i == j and i else 0.0) for j in range(3)] for i in range(3)]
        for x, y in rows:
            p = _sigmoid(sum(a * b for a, b in zip(w, x)))
            for i in range(3):
                gradient[i] += (p - y) * x[i]
                for j in range(3):
                    hessian[i][j] += p * (1 - p) * x[i] * x[j]
        step = _solve3(hessian, gradient)
        w = [a - b for a, b in zip(w, step)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return {"bias": round(w[0], 3), "posterior": round(w[1], 3), "log_words": round(w[2], 3)}


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _solve3(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Solve a 3x3 linear system (Cramer's rule; the Hessian here is positive definite)."""
    def det(m):
        return (m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]))
    whole = det(matrix)
    out = []
    for column in range(3):
        replaced = [[vector[r] if c == column else matrix[r][c] for c in range(3)] for r in range(3)]
        out.append(det(replaced) / whole)
    return out
