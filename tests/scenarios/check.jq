# check.jq: the invariants every scenario ends with, as a list of problems
# (empty when all hold). Input: the final GET /_sandbox/state. Arguments:
# (both passed with --slurpfile, hence the [0])
#   $people  the roster's intent: [{key, email, grants: [{role, division}],
#            licenses: [id]}], role and division by name ("" = home)
#   $before  the state taken before the first apply (the seed as loaded)
def lc: ascii_downcase;
def home: (.divisions | map(select(.home)) | first // .divisions[0]).id;

$people[0] as $people
| $before[0] as $before
| . as $s
| ($s.roles | map({(.name): .id}) | add) as $role
| ($s.divisions | map({(.name): .id}) | add) as $div
| ($s | home) as $home
| ($s.users | map({(.id): .}) | add // {}) as $byid
# Users by our external key and by email, so each person costs a lookup.
| (reduce $s.users[] as $u ({};
      reduce ($u.externalIds[]? | select(.authorityName == "gcprov")
              | .externalKey) as $k (.; .[$k] += [$u]))) as $bykey
| (reduce $s.users[] as $u ({}; .[$u.email | lc] += [$u])) as $bymail
| [
    # Exactly one user per person, by external id and by email: the same one.
    ($people[] as $p
     | ($bykey[$p.key] // []) as $byk
     | ($bymail[$p.email | lc] // []) as $bym
     | if ($byk | length) != 1 then
           "\($p.key): \($byk | length) users carry external id '\($p.key)'"
       elif ($bym | length) != 1 then
           "\($p.key): \($bym | length) users have email '\($p.email)'"
       elif $byk[0].id != $bym[0].id then
           "\($p.key): the external id and the email name different users"
       elif $byk[0].state != "active" then
           "\($p.key): user '\($byk[0].id)' is \($byk[0].state)"
       else
           $byk[0] as $u
           # Every intended grant and license is there.
           | ($p.grants[]
              | ($role[.role]) as $r
              | (if .division == "" then $home else $div[.division] end) as $d
              | select(any($u.grants[]?; .roleId == $r and .divisionId == $d)
                       | not)
              | "\($p.key): lacks role '\(.role)' in '\(.division)'"),
             ($p.licenses[]
              | select(. as $l | ($u.licenses // []) | index($l) | not)
              | "\($p.key): lacks license '\(.)'")
       end),
    # Nothing that existed before was removed.
    ($before.users[] as $b
     | $byid[$b.id] as $u
     | if $u == null then "seed user '\($b.id)' is gone"
       else
           ($b.grants[]?
            | select(. as $g | any($u.grants[]?;
                  .roleId == $g.roleId and .divisionId == $g.divisionId) | not)
            | "seed user '\($b.id)' lost role '\(.roleId)' in '\(.divisionId)'"),
           ($b.licenses[]?
            | select(. as $l | ($u.licenses // []) | index($l) | not)
            | "seed user '\($b.id)' lost license '\(.)'"),
           (select($b.state != "deleted" and $u.state == "deleted")
            | "seed user '\($b.id)' was deleted")
       end),
    # No user beyond the seed's and one per person.
    (($people | map({(.email | lc): true}) | add // {}) as $emails
     | (($before.users | map(select($emails[.email | lc] | not)) | length)
        + ($people | length)) as $want
     | select(($s.users | length) != $want)
     | "\($s.users | length) users in the tenant, expected \($want)")
  ]
