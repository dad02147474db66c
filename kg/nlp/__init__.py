"""spaCy components of kg: each has one job and is registered with ``@Language.factory``."""
