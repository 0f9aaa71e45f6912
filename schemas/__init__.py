"""The record: pydantic models (the source of truth), the generated JSON Schema and the JSON-LD context."""

SCHEMA_VERSION = "1.2.0"
SCHEMA_ID = f"https://stemwire.example.org/schemas/article/{SCHEMA_VERSION}/article.schema.json"
