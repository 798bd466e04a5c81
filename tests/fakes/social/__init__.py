"""Fake social-platform APIs on 127.0.0.1 that serve the recorded fixtures in ../shared/fixtures."""
