# lib.sh: what the journal's CLI tests share: the fill helper and a journal
# written by it in the test's scratch folder. Source after assert.sh.
FILL="$GCPROV_BUILD/journal_fill"
[ -x "$FILL" ] || { echo "no $FILL: build the tests first"; exit 77; }

# A journal of two runs (see journal_fill.c), and an empty state folder,
# so that no test reads the user's real journals.
J="$T/state/gcprov/org.db"
"$FILL" "$J" demo || { echo "journal_fill failed"; exit 1; }
export XDG_STATE_HOME="$T/empty-state"
