#!/usr/bin/env bash
# Profiles: chosen by --profile or GCPROV_PROFILE, layered under the
# environment and the flags, applied to any command's options, and never
# holding a secret.
source "$GCPROV_SRC/tests/lib/assert.sh"

export XDG_CONFIG_HOME="$T/config"
unset GCPROV_PROFILE GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_ID
unset GENESYSCLOUD_OAUTHCLIENT_SECRET
mkdir -p "$XDG_CONFIG_HOME/gcprov"
cat >"$XDG_CONFIG_HOME/gcprov/config" <<'CFG'
# comments and blank lines are fine
[default]
region = eu-west-1
client-id = from-default

[lab]
api-url = http://127.0.0.1:9
client-id = from-lab
rate-limit = 120
skip-invalid = yes
CFG

# config_value NAME: the value `gcprov config --json` reports for NAME.
config_value() {
    jq -r --arg n "$1" '.settings[] | select(.name == $n) | .value' \
        "$T/stdout"
}
config_source() {
    jq -r --arg n "$1" '.settings[] | select(.name == $n) | .source' \
        "$T/stdout"
}

run "$GCPROV_BIN" config --json
expect_status 0
expect_eq "default profile's region" "eu-west-1" "$(config_value region)"
expect_eq "default profile's client id" "from-default" \
    "$(config_value client-id)"

run env GCPROV_PROFILE=lab "$GCPROV_BIN" config --json
expect_eq "GCPROV_PROFILE chooses" "from-lab" "$(config_value client-id)"
expect_eq "profile number" "120" "$(config_value rate-limit)"

# The environment beats the profile; a flag beats both.
run env GENESYSCLOUD_OAUTHCLIENT_ID=from-env "$GCPROV_BIN" config \
    --profile lab --json
expect_eq "env beats profile" "from-env" "$(config_value client-id)"
expect_eq "env is named as the source" "GENESYSCLOUD_OAUTHCLIENT_ID" \
    "$(config_source client-id)"
run env GENESYSCLOUD_OAUTHCLIENT_ID=from-env "$GCPROV_BIN" config \
    --profile lab --client-id from-flag --json
expect_eq "flag beats env" "from-flag" "$(config_value client-id)"
expect_eq "the flag is named as the source" "--client-id" \
    "$(config_source client-id)"

# The secret is never shown, only where it comes from.
run env GENESYSCLOUD_OAUTHCLIENT_SECRET=hunter2-secret "$GCPROV_BIN" \
    config --json
expect_status 0
expect_stdout_lacks "hunter2-secret"
expect_eq "secret source" "GENESYSCLOUD_OAUTHCLIENT_SECRET" \
    "$(config_source 'client secret')"

# A profile fills any command's options: 'skip-invalid' for validate.
printf 'name,email\nAnn Lee,ann@example.com\nBad Row,bad@\n' >"$T/people.csv"
run "$GCPROV_BIN" validate "$T/people.csv"
expect_status 2
run "$GCPROV_BIN" validate --profile lab "$T/people.csv"
expect_status 0

# Unknown profiles, syntax errors and secrets are refused.
run "$GCPROV_BIN" config --profile nope
expect_status 2
expect_stderr_has "no profile 'nope'"
printf '[default]\nclient-secret = s3cr3t\n' >"$XDG_CONFIG_HOME/gcprov/config"
run "$GCPROV_BIN" config
expect_status 2
expect_stderr_has "a secret does not belong in a profile"
printf '[default\n' >"$XDG_CONFIG_HOME/gcprov/config"
run "$GCPROV_BIN" config
expect_status 2
expect_stderr_has "config:1: expected '[name]'"

# No config file at all is fine.
rm -rf "$XDG_CONFIG_HOME"
run "$GCPROV_BIN" config
expect_status 0

finish
