"""Coordinators' pages: their home, session forms, attendance, sign-in sheet, CSV export."""
