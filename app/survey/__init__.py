"""Filling in a questionnaire: submissions, answers and their evidence."""
