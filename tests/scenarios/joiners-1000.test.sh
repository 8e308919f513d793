#!/usr/bin/env bash
# The scenario cases/joiners-1000.scen (see docs/scenarios.md).
exec bash "$GCPROV_SRC/tests/scenarios/run.sh" "$GCPROV_SRC/tests/scenarios/cases/joiners-1000.scen"
