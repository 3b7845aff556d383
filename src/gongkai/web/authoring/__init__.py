"""Writing annual reports in the web data center: drafts, review by the supervising office, publication.

A thin layer over `gongkai.authoring`: the draft's JSON (gongkai.draft/v1) is stored as it is, and every
check, sentence and file comes from the core."""
