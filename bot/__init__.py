"""winsbot: share an organisation's social media wins where its leaders already talk."""

__version__ = "0.1.0"
