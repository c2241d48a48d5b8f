# Figures, never assertions (the test suite holds no timings).
bench:  ## load at SWV volume through the real server next to a floor; rewrites docs/performance.md
	@command -v wrk >/dev/null || apt-get install -y -qq wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	.venv/bin/python bench/load.py

soak:  ## mixed load, kill -9 and a backup under writes through the real server; rewrites docs/soak.md
	.venv/bin/python bench/soak.py

bench-queries:  ## queries per page on the demo data and grown, in-process latency
	.venv/bin/python bench/pages.py

profile:  ## where one request's time goes, per key page, at SWV volume (in-process, cProfile)
	.venv/bin/python bench/profile_pages.py

.PHONY: bench bench-queries profile soak
