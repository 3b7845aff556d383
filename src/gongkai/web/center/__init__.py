"""The data center app: agencies, documents, reports, cells, corrections, findings and ingest jobs."""
