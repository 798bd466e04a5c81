"""Microsoft Teams: botbuilder bot, Adaptive Card renderer, proactive sender, app package."""
