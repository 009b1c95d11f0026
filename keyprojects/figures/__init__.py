"""THE figures: every count, sum, rate, verdict and colour shown on a page, exported or written.

One module per domain: `periods` (which month a figure reflects, closed or live), `ledger`
(counts, sums, rates, verdicts of projects), `dispatch` (the brief and the wall chart), `common`
(month ends, thresholds, year rules). Writes (closing a period, the current plan year,
corrections) are in `services`. Pages, exports, reports, the API and `keyprojects stats` call
these functions and recompute nothing. Definitions: docs/rules.md.
"""
