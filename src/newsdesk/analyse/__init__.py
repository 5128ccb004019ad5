"""Analysers: pure functions from article text to the parts of a brief."""
