"""Writers for what a run publishes: validated records, JSON-LD, CSV tables. No Prefect here."""
