"""Scheduled work (APScheduler wiring): digests and polling."""
