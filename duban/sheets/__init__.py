"""Spreadsheet import and export: a register declares its columns once (see docs/sheets.md)."""
