#!/usr/bin/env bash
# The scenario cases/rate-paced.scen (see docs/scenarios.md).
exec bash "$GCPROV_SRC/tests/scenarios/run.sh" "$GCPROV_SRC/tests/scenarios/cases/rate-paced.scen"
