"""The domain: types and rules with no I/O (models, win rules, digest composition and layout,
periods and schedules, the command grammar, neutral views, wording). Pure functions, tested
without a database; import-linter keeps databases, terminals, charts and networks out."""
