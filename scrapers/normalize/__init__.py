"""Normalisation shared by the sources: HTML to text, locations, timestamps."""
