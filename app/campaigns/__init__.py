"""Campaigns: one survey cycle of one frozen questionnaire version."""
