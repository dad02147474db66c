"""Training routines that adapt the spaCy models used by the extraction pipeline."""
