"""The read stage: everything from uploaded bytes to checked records, and nothing after.

`container` judges an upload before any cell is read (size, zip structure, bombs, macros, encryption, what is not
a workbook); `grid` reads the cells into plain `Sheet` grids (legacy .xls in a capped child process); `text` folds
text and parses numbers the Vietnamese way; `table` finds a table in a sheet (header block, label paths, the rows
around the data) with the vocabulary files in `vocabularies/`, one per workbook kind; the readers `plan`, `stats`,
`progress` and `procedures` turn a located table into records plus located findings, with the checks that are theirs
alone; `targets` reads a criterion's solution text into a measurable target. It may import only itself and the ties
at the top of the package (fields, findings, registry, formatting): never store, score or show.
"""
