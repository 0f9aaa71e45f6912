"""Prefect flows over the plain extraction and publishing functions, and the `stemwire` CLI."""
