"""What the tests build and read, in one place (the AppTest factory itself is the `app` fixture of tests/conftest.py):

- workbooks: the shipped data/ as upload workbooks (2019 corrected, 2020), snapshots of a store;
- reports: tiny hand-made reports for the calculation and verification tests;
- hostile: stores whose text would become markup if shown carelessly, hundreds of series, stored infinities;
- faults: a read-only or full store, a store another process holds;
- apptest: reading an AppTest run as a person reads the page (Markdown rendered, downloads, the grids).
"""
