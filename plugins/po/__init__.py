"""Sector plugin PO."""
