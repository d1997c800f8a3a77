"""Preloaded into the fork server (after :mod:`._forkserver`) when a batch has an HDT input: the forecast chart's
frame drawn once (importing matplotlib, ~0.35 s) instead of once in each worker."""

import gc

from .batch import prepare

prepare(chart=True)
gc.freeze()
