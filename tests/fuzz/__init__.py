"""Fuzzing helpers for kitcut: input mutators, an in-process CLI runner with a time bound."""
