"""Social sources: each turns platform data (an API or an export file) into snapshot records."""
