"""Council and organiser tooling: score sheets, results, participation, thi đua, dossiers, decisions.

Modules that need openpyxl or python-docx import them inside functions, so the catalogue and the
validator can import `participation` and `thidua` without the office libraries.
"""
