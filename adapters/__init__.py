"""Adapters: chat platforms and social sources. They depend on the core, never the reverse."""
