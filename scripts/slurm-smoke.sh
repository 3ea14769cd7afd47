#!/usr/bin/env bash
# Runs the Slurm recipe of examples/engines/ on a real Slurm: a single node on localhost, brought up
# from Debian's packages (slurm-wlm, munge). Not part of CI.
#
#   sudo scripts/slurm-smoke.sh        on a disposable Debian or Ubuntu machine or container
#
# As root it installs slurm-wlm and munge if they are missing, starts munged, slurmctld and slurmd
# with a minimal slurm.conf of its own (in a temporary folder, named by SLURM_CONF: /etc/slurm is
# not touched), then, in a temporary folder holding examples/engines/sweep.json and slurm.sh:
#   1. submits the array (held), cancels task 3, releases the rest, with an afterany merge: the
#      merge fails, naming shard 3 and the command that makes it;
#   2. re-runs task 3 without N: Slurm sets SLURM_ARRAY_TASK_COUNT=1, collapse refuses --shard 3/1
#      and the task's recorded exit code is collapse's own 2 (the script execs collapse);
#   3. re-runs task 3 as the recipe says (--array=3 --export=ALL,N=4), merges again, and compares
#      the merged bytes with the unsharded sweep;
#   4. lets a 1-minute time limit stop a long task, with and without exec: with it, Slurm records
#      collapse's own exit status, 143 (without it, 0:15, the shell killed by the signal).
# About two minutes in all, most of it step 4.
# It stops the daemons it started and removes its folder (KEEP=1 keeps the folder, with the logs).
# The last line is "slurm-smoke: ok" or the step that failed; the exit status is 0 or 1.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
say() { printf 'slurm-smoke: %s\n' "$*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}

[ "$(id -u)" = 0 ] || { say "run as root: it installs packages and starts munged, slurmctld and slurmd"; exit 2; }
command -v node >/dev/null || { say "node is not on PATH"; exit 2; }

if ! command -v sbatch >/dev/null || ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q slurm-wlm munge
fi
[ -f "$root/dist/cli/main.js" ] || (cd "$root" && npm run build)

work=$(mktemp -d /tmp/collapse-slurm-smoke.XXXXXX)
state=$work/state
mkdir -p "$state/ctld" "$state/d" "$work/bin" "$work/run"
started=()
cleanup() {
  local status=$?
  local pids=() pid
  for pidfile in "${started[@]}"; do
    [ -s "$pidfile" ] && pids+=("$(cat "$pidfile")")
  done
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  # The daemons write their state as they stop: wait for them before removing the folder.
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  if [ "${KEEP:-0}" = 1 ] || [ "$status" != 0 ]; then
    say "kept $work (logs in $state)"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

# collapse on the PATH of the jobs, as an installed collapse would be (sbatch --export=ALL passes it).
printf '#!/bin/sh\nexec %q %q "$@"\n' "$(command -v node)" "$root/bin/collapse.js" >"$work/bin/collapse"
chmod +x "$work/bin/collapse"
export PATH="$work/bin:$PATH"

# munge: the key Debian's package made, or a new one; munged runs as its own user.
if [ ! -s /etc/munge/munge.key ]; then
  if command -v mungekey >/dev/null; then mungekey --create --force; else dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 status=none; fi
  chown munge:munge /etc/munge/munge.key
  chmod 400 /etc/munge/munge.key
fi
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  runuser -u munge -- /usr/sbin/munged
  started+=(/run/munge/munged.pid)
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  munge -n | unmunge >/dev/null || fail "munged does not answer"
fi
say "munge: $(munge -V 2>&1 | head -1)"

# A one-node cluster on this host: no cgroups, no accounting database.
node=$(hostname -s)
export SLURM_CONF=$work/slurm.conf
cat >"$SLURM_CONF" <<EOF
ClusterName=smoke
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/slurmctld.log
SlurmdLogFile=$state/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
MinJobAge=600
NodeName=$node NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=smoke Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start (see $state/slurmctld.log)"
started+=("$state/slurmctld.pid")
slurmd -f "$SLURM_CONF" || fail "slurmd did not start (see $state/slurmd.log)"
started+=("$state/slurmd.pid")
for _ in $(seq 100); do
  sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break
  sleep 0.2
done
sinfo -h -o %t | grep -qE '^(idle|mix|alloc)' || fail "the node did not come up: $(sinfo 2>&1 | tail -1)"
say "slurm: $(sinfo --version), node $node $(sinfo -h -o '%c CPUs, %t')"

# Waits until every job given has left the queue.
wait_jobs() {
  for _ in $(seq 1200); do
    [ -z "$(squeue -h -j "$(
      IFS=,
      echo "$*"
    )" 2>/dev/null)" ] && return 0
    sleep 0.2
  done
  fail "jobs $* did not finish in 4 minutes"
}
# The exit code Slurm recorded for a job (or an array task, JOB_TASK): "status:signal".
exit_code() { scontrol show job "$1" 2>/dev/null | grep -oE 'ExitCode=[0-9]+:[0-9]+' | head -1 | cut -d= -f2; }
state_of() { scontrol show job "$1" 2>/dev/null | grep -oE 'JobState=[A-Z_]+' | head -1 | cut -d= -f2; }
merge_job() {
  sbatch --parsable --dependency=afterany:"$1" -o merge-%j.log --wrap 'exec collapse merge part-*.csv -o sweep.csv'
}

cd "$work/run"
cp "$root/examples/engines/sweep.json" "$root/examples/engines/slurm.sh" .
collapse sweep --config sweep.json -o whole.csv

# 1. The array, with task 3 cancelled before it starts, and an afterany merge.
jobid=$(sbatch --parsable --hold --export=ALL,N=4 slurm.sh)
scancel "${jobid}_3"
merge1=$(merge_job "$jobid")
scontrol release "$jobid"
wait_jobs "$jobid" "$merge1"
for task in 1 2 4; do
  say "array task $task: $(state_of "${jobid}_$task"), exit code $(exit_code "${jobid}_$task")"
  [ "$(exit_code "${jobid}_$task")" = 0:0 ] || fail "array task $task failed: $(cat "part-$task.log")"
done
# A task cancelled while pending leaves the array without a record of its own: it never ran.
say "array task 3: cancelled before it started"
if [ -e part-3.log ] || [ -e part-3.csv ]; then fail "the cancelled task 3 ran"; fi
say "merge after the cancel: $(state_of "$merge1"), exit code $(exit_code "$merge1"): $(cat "merge-$merge1.log")"
[ "$(exit_code "$merge1")" = 2:0 ] || fail "the merge did not exit 2"
grep -qx 'collapse: shard 3 of 4 missing; run collapse sweep … --shard 3/4 and merge every shard' "merge-$merge1.log" ||
  fail "the merge did not name shard 3"
[ ! -e sweep.csv ] || fail "a failed merge wrote sweep.csv"

# 2. The re-run without N: SLURM_ARRAY_TASK_COUNT=1 gives --shard 3/1, refused; the exit code is collapse's.
bare=$(env -u N sbatch --parsable --array=3 --export=ALL slurm.sh)
wait_jobs "$bare"
say "re-run of task 3 without N: $(state_of "${bare}_3"), exit code $(exit_code "${bare}_3"): $(cat part-3.log)"
[ "$(exit_code "${bare}_3")" = 2:0 ] || fail "the re-run without N did not exit 2"
grep -q 'got "3/1"' part-3.log || fail "the re-run without N did not name --shard 3/1"

# 3. The re-run as the recipe says, and the merge again.
rerun=$(sbatch --parsable --array=3 --export=ALL,N=4 slurm.sh)
merge2=$(merge_job "$rerun")
wait_jobs "$rerun" "$merge2"
say "re-run of task 3 with N=4: $(state_of "${rerun}_3"), exit code $(exit_code "${rerun}_3")"
say "merge after the re-run: $(state_of "$merge2"), exit code $(exit_code "$merge2")"
[ "$(exit_code "$merge2")" = 0:0 ] || fail "the second merge failed: $(cat "merge-$merge2.log")"
cmp sweep.csv whole.csv || fail "the merged sweep differs from the unsharded one"
say "sweep.csv is byte for byte the unsharded sweep ($(wc -c <sweep.csv) bytes, sha256 $(sha256sum sweep.csv | cut -c1-16)…)"

# 4. A time limit (1 minute) ends a task of a long sweep: Slurm sends SIGTERM, collapse stops its
#    workers, writes no part file and exits 143. With exec, Slurm records that 143; the same
#    script without exec records the shell killed by signal 15 (0:15), whatever collapse said.
mkdir limit plain
sed -e 's/"generations": [0-9]*/"generations": 100000/' sweep.json >limit/sweep.json
cp limit/sweep.json plain/
cp slurm.sh limit/
sed -e 's/^exec collapse/collapse/' slurm.sh >plain/slurm.sh
say "two tasks that hit a 1-minute time limit, with and without exec (about 90 s)"
with=$(cd limit && sbatch --parsable --time=1 --array=1 --export=ALL,N=1 slurm.sh)
without=$(cd plain && sbatch --parsable --time=1 --array=1 --export=ALL,N=1 slurm.sh)
wait_jobs "$with" "$without"
say "time limit, exec collapse: $(state_of "${with}_1"), exit code $(exit_code "${with}_1"): $(tail -1 limit/part-1.log)"
say "time limit, collapse without exec: $(state_of "${without}_1"), exit code $(exit_code "${without}_1")"
if [ "$(state_of "${with}_1")" != TIMEOUT ] || [ "$(exit_code "${with}_1")" != 143:0 ]; then fail "the task with exec did not record collapse's 143"; fi
[ ! -e limit/part-1.csv ] || fail "the task stopped by its time limit left part-1.csv"
say "ok"
