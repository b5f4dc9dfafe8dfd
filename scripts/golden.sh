#!/bin/sh
# Re-renders the golden exports in tests/golden/ from the saved JSON reports
# there, after a deliberate change to an exporter. Review the diff before
# committing: the e2e tests compare every exporter's output with these files.
#   sh scripts/golden.sh [path/to/gilscope]
set -eu
G=${1:-build/gilscope}
D=tests/golden
for name in report merged current; do
    "$G" report "$D/$name.json" --export-markdown "$D/$name.md"
    "$G" report "$D/$name.json" --export-csv "$D/$name.csv"
    "$G" report "$D/$name.json" --export-html "$D/$name.html"
done
"$G" report "$D/merged.json" --timeline "$D/merged-timeline.svg"
