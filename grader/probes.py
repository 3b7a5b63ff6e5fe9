"""Named functions that tests pass as arguments (``f`` for ``numerical_gradient``,
``grad_fn`` for ``gradient_descent``).

They live here, not in the test inputs, because callables cannot cross the
sandbox boundary as data: a test names one (``wire.Fn("bowl")``) and each side
looks it up in this table. Each takes a 1-D float array.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np


def bowl(x: np.ndarray) -> float:
    """x0^2 + x1^2 (+ ...): the source's example surface."""
    return float(np.sum(np.asarray(x) ** 2))


def bowl_grad(x: np.ndarray) -> np.ndarray:
    """Gradient of ``bowl``: 2x."""
    return 2.0 * np.asarray(x, dtype=float)


def tilted(x: np.ndarray) -> float:
    """2 x0^2 + 3 x0 x1 + x1^2: a surface with a mixed term."""
    return float(2 * x[0] ** 2 + 3 * x[0] * x[1] + x[1] ** 2)


def wavy(x: np.ndarray) -> float:
    """sin(x0) * exp(x1) + x2^3 / 3: a non-polynomial function of three variables."""
    return float(np.sin(x[0]) * np.exp(x[1]) + x[2] ** 3 / 3.0)


def cubic(x: np.ndarray) -> float:
    """x0^3 - 2 x0: a one-variable function."""
    return float(x[0] ** 3 - 2.0 * x[0])


def ellipse_grad(x: np.ndarray) -> np.ndarray:
    """Gradient of x0^2 + 10 x1^2 + x0 x1 (an elongated bowl)."""
    v = np.asarray(x, dtype=float)
    return np.array([2 * v[0] + v[1], 20 * v[1] + v[0]])


def quartic_grad(x: np.ndarray) -> np.ndarray:
    """Gradient of (x0^2 - 1)^2 + x1^2, a surface with two local minima."""
    v = np.asarray(x, dtype=float)
    return np.array([4 * v[0] * (v[0] ** 2 - 1), 2 * v[1]])


def coupled(x: np.ndarray) -> float:
    """exp(x0 x1) + sin(x1 + x2) + x0 x2^2: three variables, every pair coupled."""
    return float(np.exp(x[0] * x[1]) + np.sin(x[1] + x[2]) + x[0] * x[2] ** 2)


def cubic_product(x: np.ndarray) -> float:
    """x0^3 x1^3: cubic in each variable, so only its mixed second derivative depends on the step."""
    return float(x[0] ** 3 * x[1] ** 3)


def quadratic3(x: np.ndarray) -> float:
    """x0^2 + 2 x1^2 + 3 x2^2 + x0 x1 - 2 x1 x2 + x0 x2: a quadratic in three variables."""
    return float(x[0] ** 2 + 2 * x[1] ** 2 + 3 * x[2] ** 2 + x[0] * x[1] - 2 * x[1] * x[2] + x[0] * x[2])


PROBES: dict[str, Callable[[np.ndarray], object]] = {
    "bowl": bowl,
    "bowl_grad": bowl_grad,
    "tilted": tilted,
    "wavy": wavy,
    "cubic": cubic,
    "ellipse_grad": ellipse_grad,
    "quartic_grad": quartic_grad,
    "coupled": coupled,
    "cubic_product": cubic_product,
    "quadratic3": quadratic3,
}


def describe(name: str) -> str:
    """A one-line description of a probe for feedback messages."""
    doc = (PROBES[name].__doc__ or name).strip().splitlines()[0]
    return f"{name} ({doc.rstrip('.')})"
