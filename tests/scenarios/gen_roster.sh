#!/usr/bin/env bash
# gen_roster.sh N CSV JSON [FIRST]: writes a roster of N people (keys
# E00001.., emails pN@scen.example) as CSV and their intent as the JSON
# check.jq reads. Everyone gets Agent and Employee in the home division and
# the license 'communicate'; every third person also Supervisor in Sales.
# The roles and licenses are the demo org's (and the scenario seeds').
n=$1 csv=$2 json=$3 first=${4:-1}
awk -v n="$n" -v first="$first" -v csv="$csv" -v json="$json" 'BEGIN {
    print "employee_id,name,email,roles,licenses" > csv
    printf "[" > json
    for (i = first; i < first + n; i++) {
        key = sprintf("E%05d", i)
        extra = (i % 3 == 0)
        printf "%s,Person %d,p%d@scen.example,Agent;Employee%s,communicate\n",
            key, i, i, extra ? ";Supervisor@Sales" : "" > csv
        printf "%s{\"key\":\"%s\",\"email\":\"p%d@scen.example\",\"grants\":" \
            "[{\"role\":\"Agent\",\"division\":\"\"}," \
            "{\"role\":\"Employee\",\"division\":\"\"}%s]," \
            "\"licenses\":[\"communicate\"]}\n", (i > first ? "," : ""), key, i,
            extra ? ",{\"role\":\"Supervisor\",\"division\":\"Sales\"}" : "" > json
    }
    print "]" > json
}'
