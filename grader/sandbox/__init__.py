"""Sandboxed execution of untrusted submissions."""
