"""Played tabletop exercises: players decide, the model answers (``drillsim play``)."""
