"""Reusable stage blocks a scenario workflow is composed from."""
