"""Read queries of the warehouse, one module per subject; they return rows or DataFrames."""
