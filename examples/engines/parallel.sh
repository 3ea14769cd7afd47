#!/bin/sh
# GNU parallel on one machine: the sweep in sweep.json as 4 shards, one core each, then merged.
# Run it in a folder holding sweep.json; it writes part-1.csv … part-4.csv and sweep.csv.
#   sh parallel.sh        every shard
#   sh parallel.sh 3      shard 3 again (a failed or lost one), then the merge
# n stays 4 whichever shards run: --shard 3/4 is the same slice in the first run and in a re-run.
set -eu
shards=${*:-1 2 3 4}
# --will-cite: GNU parallel built from upstream prints a citation notice when stderr is a terminal
# (Debian's package does not); it silences it. --jobs 1 on collapse: parallel already runs one
# shard per core. Every shard runs even if one fails, and the merge
# then names any shard that is missing, with the command that makes it.
# shellcheck disable=SC2086 # $shards: a word per shard
parallel --will-cite collapse sweep --config sweep.json --jobs 1 --shard {}/4 -o part-{}.csv ::: $shards || :
exec collapse merge part-*.csv -o sweep.csv
