"""Chat platforms (Slack, Microsoft Teams): rendering and transport only."""
