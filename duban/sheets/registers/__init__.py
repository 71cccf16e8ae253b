"""The sheets of the foundation's registers (units, users). Later modules declare theirs in their own
app (``<app>/sheets.py``, imported from its AppConfig.ready) with the same `register` decorator."""
