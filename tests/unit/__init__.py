"""Unit tests: the wrapper against in-process fake servers, never the network."""
