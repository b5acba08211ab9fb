"""Safeguarding concerns and searches of children (built by later issues)."""
