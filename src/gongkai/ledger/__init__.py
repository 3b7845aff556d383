"""The request ledger (依申请公开台账): requests, their reply clock, fees, and year-end 表三/表四.

Pure Python (no Django): `model` (records and vocabularies), `calendar` (official
working days), `clock` (deadlines with traces), `validate`, `fees`, `stats`
(year-end tables, drill-down, comparison with a published report), `importer` and
`export` (Excel/CSV), `cli` (`gongkai ledger …`).
"""
