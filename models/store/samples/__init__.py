"""Generators for the clearly labelled sample registry (see `models.store.seed`).

Each module turns a seeded `random.Random` and the real geography into rows of one
concern; none of them touches the database, so the same seed gives the same rows
whatever the backend.
"""
