"""Questionnaire definitions: one module per instrument version, data only."""
