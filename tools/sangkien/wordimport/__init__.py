"""Word in: a DOCX written from the template (or following its headings) becomes an entry.

`rules.json` (data) says how; `docxread` turns the file into blocks, `mapping` turns blocks
into entry fields, body Markdown and problems. The submission page's reader follows the same
rules.json line by line (README.md describes both sides).
"""
