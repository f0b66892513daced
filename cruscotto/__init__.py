"""Cruscotto Performance: the non-UI core (reading, validation, store, queries, checks, export)."""
