"""Presentation without a user interface: what the pages and the exports show, never how Streamlit draws it.

labels (column headings and formats, declared once), formatting (Italian numbers), text (data made safe for
Markdown, plotly and terminals), charts and verifica_charts and confronto (plotly figures), scorecard and trends (the
figures pages put in words), export (CSV and XLSX of what a page shows), workbook (tables as an upload workbook).
"""
