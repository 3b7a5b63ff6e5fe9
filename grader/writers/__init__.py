"""Output writers, one module per format, each a pure ``render`` function:

- ``grades_csv``: the gradebook CSV (one row per student)
- ``gradescope``: Gradescope's results.json for one student
- ``feedback``: the Markdown feedback sent to one student
- ``lms``: Canvas and Moodle grade-import CSVs
- ``report``: the class report (self-contained HTML with charts)

Writers never touch the file system; the runner writes what they return atomically.
"""
