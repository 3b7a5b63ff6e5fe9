"""Hidden suite for ``gan.py`` (problem set 3), with its known mistakes."""

from __future__ import annotations

from grader.mistakes import Mistake, _m
from grader.suites.build import Suite
from grader.suites.harness import pytest_tests

S = Suite("gan", seed=20250304)
rng = S.rng

# No output is 0.5 (where ln D and ln(1 - D) agree) outside the clipping tests.
real3, fake3 = [0.9, 0.8, 0.6], [0.2, 0.35, 0.1]
real13, fake9 = rng.uniform(0.05, 0.95, 13), rng.uniform(0.05, 0.95, 9)

# Each test quotes the docstring words it relies on (``doc=``; tests/test_docstring_promises.py).
UNCHANGED = "neither changes its arguments"
FLOAT = "Returns a float."
DL = "-mean(ln D(x)) - mean(ln(1 - D(G(z))))"
DL_KINDS = "Each input is a 1-D sequence of probabilities (list, tuple or NumPy array) or a single number."
CLIP = "clipped to [EPS, 1 - EPS] first"
dl = S.function("gan_discriminator_loss", "d_real, d_fake")
dl.value("three real and three generated samples", real3, fake3, public=True, doc=DL)
dl.value("four real and two generated samples", [0.7, 0.95, 0.55, 0.8], [0.3, 0.05], public=True,
         doc=("(n and m may differ)", "each mean taken over its own samples"))
# At D = 0 or 1 a term is about -ln(1e-12) = 27.6 and depends on how the clipping
# rounds (clip D, or clip 1 - D): a relative 1e-5 accepts both.
dl.value("outputs of exactly 0 and 1", [1.0, 0.0, 0.6], [0.0, 1.0, 0.25, 0.5], rtol=1e-5, doc=CLIP)
dl.value("random outputs, 13 real and 9 generated", real13, fake9, doc=DL)
dl.value("single numbers", 0.75, 0.4, doc=DL_KINDS)
dl.value("tuples", (0.65, 0.85, 0.9, 0.7), (0.15, 0.4, 0.3, 0.2), doc=DL_KINDS)
dl.shape("returns a single number", real13, fake9, public=True, doc=FLOAT)
dl.unchanged("leaves its inputs alone", real13.copy(), fake9.copy(), doc=UNCHANGED)

NS = "With ``non_saturating=True`` (the default) return -mean(ln D(G(z)))"
MM = "with ``non_saturating=False`` return the minimax form mean(ln(1 - D(G(z))))"
GL_KINDS = "``d_fake`` is a 1-D sequence of probabilities (list, tuple or NumPy array) or a single number."
gl = S.function("gan_generator_loss", "d_fake, non_saturating")
gl.value("three generated samples, non-saturating (the default)", fake3, public=True, doc=NS)
gl.value("the minimax form", fake3, public=True, non_saturating=False, doc=MM)
gl.value("outputs of exactly 0 and 1, non-saturating", [0.0, 1.0, 0.4, 0.7], rtol=1e-5,
         doc=(NS, "Outputs are clipped to [EPS, 1 - EPS] first."))
gl.value("outputs of exactly 0 and 1, minimax", [0.0, 1.0, 0.4, 0.7], rtol=1e-5, non_saturating=False,
         doc=(MM, "Outputs are clipped to [EPS, 1 - EPS] first."))
gl.value("random outputs, non-saturating", fake9, non_saturating=True, doc=NS)
gl.value("random outputs, minimax", fake9, non_saturating=False, doc=MM)
gl.value("a single number, minimax", 0.3, non_saturating=False, doc=(MM, GL_KINDS))
gl.value("a tuple, non-saturating", (0.15, 0.4, 0.3, 0.2), doc=(NS, GL_KINDS))
gl.shape("returns a single number", fake9, public=True, doc=FLOAT)
gl.unchanged("leaves its input alone", fake9.copy(), non_saturating=False, doc=UNCHANGED)

TESTS = S.tests
test_case = pytest_tests(TESTS)

MISTAKES: list[Mistake] = [
    # ------------------------------------------------------------------ gan.gan_discriminator_loss
    _m("gan.gan_discriminator_loss", "sign-flipped",
       """Your value is mean(ln D(x)) + mean(ln(1 - D(G(z)))), what the discriminator maximises.
       As a loss to minimise it takes a minus sign: -mean(ln D(x)) - mean(ln(1 - D(G(z)))).""",
       """
       def gan_discriminator_loss(d_real, d_fake):
           real = np.clip(np.ravel(np.asarray(d_real, dtype=float)), EPS, 1 - EPS)
           fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
           return float(np.mean(np.log(real)) + np.mean(np.log(1 - fake)))
       """),
    _m("gan.gan_discriminator_loss", "labels-swapped",
       """Your loss treats the generated samples as the real ones. Real samples have label 1
       (their term is -ln D(x)) and generated ones label 0 (their term is -ln(1 - D(G(z)))).""",
       """
       def gan_discriminator_loss(d_real, d_fake):
           real = np.clip(np.ravel(np.asarray(d_real, dtype=float)), EPS, 1 - EPS)
           fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
           return float(-np.mean(np.log(1 - real)) - np.mean(np.log(fake)))
       """),
    _m("gan.gan_discriminator_loss", "one-pooled-mean",
       """Your value averages all the terms together, over n + m samples. Take the mean over the
       real samples and the mean over the generated ones separately, then add the two.""",
       """
       def gan_discriminator_loss(d_real, d_fake):
           real = np.clip(np.ravel(np.asarray(d_real, dtype=float)), EPS, 1 - EPS)
           fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
           return float(-np.mean(np.concatenate([np.log(real), np.log(1 - fake)])))
       """),
    _m("gan.gan_discriminator_loss", "no-clipping",
       """Your function fails when D outputs exactly 0 or 1: the logarithm of 0 is undefined.
       Clip the outputs to [EPS, 1 - EPS] before taking any logarithm.""",
       """
       def gan_discriminator_loss(d_real, d_fake):
           import math
           real = [float(v) for v in np.ravel(np.asarray(d_real, dtype=float))]
           fake = [float(v) for v in np.ravel(np.asarray(d_fake, dtype=float))]
           return (-sum(math.log(p) for p in real) / len(real)
                   - sum(math.log(1 - q) for q in fake) / len(fake))
       """),
    # ------------------------------------------------------------------ gan.gan_generator_loss
    _m("gan.gan_generator_loss", "non-saturating-sign-flipped",
       """Your non-saturating loss is mean(ln D(G(z))), which is never positive. The generator
       wants D(G(z)) near 1, so it minimises -mean(ln D(G(z))).""",
       """
       def gan_generator_loss(d_fake, non_saturating=True):
           fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
           if non_saturating:
               return float(np.mean(np.log(fake)))
           return float(np.mean(np.log(1 - fake)))
       """),
    _m("gan.gan_generator_loss", "minimax-sign-flipped",
       """Your minimax loss is -mean(ln(1 - D(G(z)))). In the minimax game the generator
       minimises mean(ln(1 - D(G(z)))) itself (a value that is never positive), the part of
       the discriminator's objective it controls.""",
       """
       def gan_generator_loss(d_fake, non_saturating=True):
           fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
           if non_saturating:
               return float(-np.mean(np.log(fake)))
           return float(-np.mean(np.log(1 - fake)))
       """),
    _m("gan.gan_generator_loss", "forms-swapped",
       """Your two forms are the wrong way round. non_saturating=True asks for
       -mean(ln D(G(z))); non_saturating=False for the minimax mean(ln(1 - D(G(z)))).""",
       """
       def gan_generator_loss(d_fake, non_saturating=True):
           fake = np.clip(np.ravel(np.asarray(d_fake, dtype=float)), EPS, 1 - EPS)
           if non_saturating:
               return float(np.mean(np.log(1 - fake)))
           return float(-np.mean(np.log(fake)))
       """),
    _m("gan.gan_generator_loss", "no-clipping",
       """Your function fails when D outputs exactly 0 or 1: the logarithm of 0 is undefined.
       Clip the outputs to [EPS, 1 - EPS] before taking any logarithm.""",
       """
       def gan_generator_loss(d_fake, non_saturating=True):
           import math
           fake = [float(v) for v in np.ravel(np.asarray(d_fake, dtype=float))]
           if non_saturating:
               return -sum(math.log(q) for q in fake) / len(fake)
           return sum(math.log(1 - q) for q in fake) / len(fake)
       """),
]
