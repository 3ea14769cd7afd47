#!/bin/bash
# A Slurm job array: one task per shard of the sweep in sweep.json (shards are 1-based, so the
# array starts at 1). Submit from the folder holding sweep.json, with n fixed, then the merge:
#
#   jobid=$(sbatch --parsable --export=ALL,N=4 slurm.sh)
#   sbatch --dependency=afterany:$jobid --wrap 'exec collapse merge part-*.csv -o sweep.csv'
#
# Re-run one failed or cancelled task (here 3) the same way, and merge again:
#
#   sbatch --array=3 --export=ALL,N=4 slurm.sh
#
# N keeps the shard count: in that re-run Slurm sets SLURM_ARRAY_TASK_COUNT=1 (and a sparse
# --array=1,3 sets 2), which would ask for shard 3/1.
#SBATCH --job-name=collapse-sweep
#SBATCH --array=1-4
#SBATCH --cpus-per-task=1
#SBATCH --output=part-%a.log
# exec: the scheduler records collapse's own exit status (143 when a time limit sends SIGTERM,
# 2 for a bad input), not the shell's.
exec collapse sweep --config sweep.json --jobs "${SLURM_CPUS_PER_TASK:-1}" --progress \
  --shard "$SLURM_ARRAY_TASK_ID/${N:-$SLURM_ARRAY_TASK_COUNT}" -o "part-$SLURM_ARRAY_TASK_ID.csv"
