"""Fakes that speak the real protocols on 127.0.0.1, for integration tests without internet."""
