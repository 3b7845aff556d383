"""The web data center: a Django site to ingest, inspect, correct and export reports."""
