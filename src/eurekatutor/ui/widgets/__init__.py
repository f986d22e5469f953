"""Reusable widgets of the EurekaTutor app."""
