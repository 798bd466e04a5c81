"""Digest charts: drawn as PNG with matplotlib, and kept on disk for Teams to fetch by URL."""
