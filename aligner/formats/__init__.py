"""Input readers (article, plain, presplit) and output writers (TMX, TSV, JSONL, Vecalign beads)."""
