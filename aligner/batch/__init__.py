"""`aligner batch`: many documents aligned into one merged output (issue 11).

- `inputs`: which documents, found and checked before any work (folders, files, a pairs list);
- `job`: the work on one document, bytes in, an aligned document or a failure out;
- `executors`: where the work runs (this process, a local process pool, a Dask cluster);
- `state`: the state file that makes a batch resumable;
- `run`: the loop that hands documents out and merges the results, in input order, into
  the output, the summary and the rejects file.
"""
