"""Slack: Block Kit rendering (pure) and, later, the bolt app, listeners and sender."""
