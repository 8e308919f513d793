#!/usr/bin/env bash
# The scenario cases/burst-5xx.scen (see docs/scenarios.md).
exec bash "$GCPROV_SRC/tests/scenarios/run.sh" "$GCPROV_SRC/tests/scenarios/cases/burst-5xx.scen"
