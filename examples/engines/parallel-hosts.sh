#!/bin/sh
# GNU parallel across machines: the sweep in sweep.json as 4 shards on the hosts given, then merged
# here. Run it in a folder holding sweep.json:
#   sh parallel-hosts.sh 2/host1,2/host2          two shards at a time on each host
#   sh parallel-hosts.sh 2/host1,2/host2 3        shard 3 again, then the merge
# Each host needs ssh without a password, rsync, and collapse on the PATH of a non-interactive
# ssh session, at the same version as here (the version is part of the sweep's hash).
set -eu
hosts=$1
shift
shards=${*:-1 2 3 4}
# A remote job runs in the remote home: --basefile copies sweep.json there first (with rsync, on
# both sides), --return copies each part back, --cleanup removes the remote copies. --jobs 1 on
# collapse: parallel already runs as many shards on a host as the N/ before its name.
# shellcheck disable=SC2086 # $shards: a word per shard
parallel --will-cite -S "$hosts" --basefile sweep.json --return part-{}.csv --cleanup \
  collapse sweep --config sweep.json --jobs 1 --shard {}/4 -o part-{}.csv ::: $shards || :
exec collapse merge part-*.csv -o sweep.csv
