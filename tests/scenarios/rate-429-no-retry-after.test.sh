#!/usr/bin/env bash
# The scenario cases/rate-429-no-retry-after.scen (see docs/scenarios.md).
exec bash "$GCPROV_SRC/tests/scenarios/run.sh" "$GCPROV_SRC/tests/scenarios/cases/rate-429-no-retry-after.scen"
