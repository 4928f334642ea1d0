"""Reviewing submissions: comments per question, returning, validating, publishing."""
