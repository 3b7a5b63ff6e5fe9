"""The losses of a generative adversarial network (GAN).

A GAN trains two models against each other. The discriminator D outputs the
probability that its input is a real sample rather than one made by the
generator G; the generator tries to make samples that D takes for real.
Both losses are built from the natural logarithm of D's outputs; neither
changes its arguments.
"""

import numpy as np

EPS = 1e-12
"""Discriminator outputs are clipped to ``[EPS, 1 - EPS]`` before any logarithm."""


def gan_discriminator_loss(d_real, d_fake):
    """The discriminator's loss: binary cross-entropy with real = 1 and fake = 0.

    ``d_real`` holds D's outputs on n real samples and ``d_fake`` its outputs on
    m generated samples (n and m may differ). The loss is

        -mean(ln D(x)) - mean(ln(1 - D(G(z)))),

    each mean taken over its own samples, with every output clipped to
    [EPS, 1 - EPS] first. It is small when D gives real samples a probability
    near 1 and generated ones a probability near 0.

    Each input is a 1-D sequence of probabilities (list, tuple or NumPy array)
    or a single number. Returns a float.
    """
    real = np.clip(np.ravel(np.asarray(d_real, dtype=float)), EPS, 1 - EPS)
    fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
    return float(-np.mean(np.log(real)) - np.mean(np.log(1 - fake)))


def gan_generator_loss(d_fake, non_saturating=True):
    """The generator's loss, from D's outputs on generated samples.

    The original (minimax) game has the generator minimise mean(ln(1 - D(G(z)))),
    the part of the discriminator's objective it can influence. That loss is
    nearly flat while D easily rejects the fakes (D(G(z)) near 0), just when the
    generator most needs a gradient. The non-saturating form minimises
    -mean(ln D(G(z))) instead: it has the same aim but is steep exactly there.

    With ``non_saturating=True`` (the default) return -mean(ln D(G(z))); with
    ``non_saturating=False`` return the minimax form mean(ln(1 - D(G(z)))),
    which is never positive. Outputs are clipped to [EPS, 1 - EPS] first.

    ``d_fake`` is a 1-D sequence of probabilities (list, tuple or NumPy array)
    or a single number. Returns a float.
    """
    fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
    if non_saturating:
        return float(-np.mean(np.log(fake)))
    return float(np.mean(np.log(1 - fake)))
