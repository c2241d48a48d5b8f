"""Sector plugin VO."""
