"""Fabula: a fan-fiction archive."""
