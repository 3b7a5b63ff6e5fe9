"""Gradient descent: walking downhill on a loss surface."""

import numpy as np


def gradient_descent_step(theta, grad, lr):
    raise NotImplementedError


def sse_gradient(X, y, theta):
    raise NotImplementedError


def gradient_descent(grad_fn, theta0, lr, n_steps):
    raise NotImplementedError
