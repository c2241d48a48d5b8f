bench:
	.venv/bin/python bench/pages.py

.PHONY: bench
