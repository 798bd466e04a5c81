"""Use cases: what winsbot does, each a small module with one job (answering chat commands,
case studies, sharing, subscriptions, detection, digest delivery, polling). They open the store,
call the domain, and reach the outside world only through the ports in ``bot/ports.py``."""
