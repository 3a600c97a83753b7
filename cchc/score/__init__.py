"""The score stage: what the figures mean against the plan.

`metrics` computes every rate from summed counts (never an average of monthly rates), for statistics and for
procedure counts; `status` judges a value against its target (met, close, behind, no data); `rules` holds the
scoring rules as data (threshold, bands, proportional, manual); `scoring` projects points per criterion, domain and
plan, the year-end trend and the what-if; `deadlines` says what is due and overdue per agency. It may import the
read stage (records and targets), the store stage (to read what is stored) and the ties at the top of the package,
never the show stage: nothing it computes depends on how it is shown.
"""
