"""The calibrated synthetic generator: institutions, facts, DX, plan reports, batches."""
