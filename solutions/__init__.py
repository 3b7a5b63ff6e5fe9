"""Reference implementations of the exercises (instructor only, never released)."""
