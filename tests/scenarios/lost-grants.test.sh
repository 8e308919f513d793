#!/usr/bin/env bash
# The scenario cases/lost-grants.scen (see docs/scenarios.md).
exec bash "$GCPROV_SRC/tests/scenarios/run.sh" "$GCPROV_SRC/tests/scenarios/cases/lost-grants.scen"
