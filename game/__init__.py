"""Pure domain rules of Drawstream: no I/O, no clocks, no randomness of its own."""
