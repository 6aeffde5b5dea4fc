"""Hazard physics, each model citing its source: fire growth, design rain and
waterlogging, road passability by depth, gas dispersion with toxic thresholds,
public-warning coverage. Pure functions and small value types: no SimPy, no files."""
