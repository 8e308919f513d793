#!/usr/bin/env bash
# The scenario cases/plain.scen (see docs/scenarios.md).
exec bash "$GCPROV_SRC/tests/scenarios/run.sh" "$GCPROV_SRC/tests/scenarios/cases/plain.scen"
