#!/bin/sh
# A sweep under `mpirun -n RANKS` (blocks of replications handed out as ranks ask) writes the datasets one
# process writes (h5diff finds no difference): a grid of points; one point whose replications the ranks
# share (each rank plays some: the "replications by rank" line); points with --until-ci (rounds handed out
# as blocks); more ranks than blocks; a sweep stopped by Ctrl-C and finished with --resume. h5diff does find
# a difference against another seed (so the comparison can fail). CCSIM is ccsim, which loads no MPI and
# becomes the ccsim-mpi beside it under mpirun: that path is the one users take. Run by ctest (label `mpi`):
#   mpi_sweep.sh CCSIM RANKS MPIRUN H5DIFF
set -eu
ccsim=$1 ranks=$2 mpirun=$3 h5diff=$4
if ! "$ccsim" --version | grep -q "with MPI sweeps"; then
  echo "$ccsim finds no ccsim-mpi beside it: build the ccsim-mpi target" >&2
  exit 1
fi
# The one process is ccsim itself: ccsim-mpi keeps the argv[0] it was handed, so the files' command_line
# attributes (which start with it) are equal too.
one=$ccsim
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/seed"
cat >"$dir/s.yaml" <<'YAML'
name: mpi sweep
day: {interval: 60min, intervals: 4}
contact_types:
  - name: calls
    calls_per_hour: 300
    handle_time: {distribution: exponential, mean: 240s}
    patience: {distribution: exponential, mean: 180s}
agent_groups:
  - name: agents
    agents: 22
policies:
  - name: plain
  - name: more
    overrides: {agent_groups.agents.agents: 24}
YAML
# Open MPI in containers and as root: shared memory without CMA, more ranks than cores, root allowed.
OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_btl_vader_single_copy_mechanism
# same NAME N ARGS...: `ccsim-mpi sweep ../s.yaml ARGS -o out.h5 -t 1` in NAME-one (one process) and NAME-mpi
# (mpirun -n N, its output in NAME-mpi/log) write the same datasets, and HDF5 prints no error stack (rank 0
# writes on a thread of its own).
same() {
  name=$1 n=$2
  shift 2
  mkdir "$dir/$name-one" "$dir/$name-mpi"
  (cd "$dir/$name-one" && "$one" sweep ../s.yaml "$@" -o out.h5 -t 1 >/dev/null 2>&1)
  (cd "$dir/$name-mpi" && "$mpirun" -n "$n" --oversubscribe --allow-run-as-root "$ccsim" sweep ../s.yaml "$@" \
    -o out.h5 -t 1 >log 2>&1) || { cat "$dir/$name-mpi/log" >&2; exit 1; }
  "$h5diff" "$dir/$name-one/out.h5" "$dir/$name-mpi/out.h5"
  if grep -q "HDF5-DIAG" "$dir/$name-mpi/log"; then echo "HDF5 printed its error stack" >&2; exit 1; fi
}
args="--range agent_groups.agents.agents=18,24,1 --grid contact_types.calls.patience.mean=[60s,300s] -r 3"
same grid "$ranks" $args
# More ranks than points: the ranks left without work end cleanly.
same few $((ranks + 2)) --grid agent_groups.agents.agents=[20,22] -r 2
# One point, its 60 replications in blocks over the ranks: every rank plays some (the point's line says how
# many each).
same point "$ranks" --grid agent_groups.agents.agents=[20] -r 60
line=$(grep "replications by rank:" "$dir/point-mpi/log")
echo "one point: $line"
set -- $(echo "$line" | sed 's/.*replications by rank://')
if [ $# -ne "$ranks" ]; then echo "expected $ranks counts in: $line" >&2; exit 1; fi
total=0
for n in "$@"; do
  if [ "$n" -eq 0 ]; then echo "a rank played none of the point's replications: $line" >&2; exit 1; fi
  total=$((total + n))
done
if [ "$total" -ne 60 ]; then echo "the ranks played $total replications, not 60: $line" >&2; exit 1; fi
# --until-ci: each point's rounds handed out in blocks, points of different lengths side by side.
same until "$ranks" --grid agent_groups.agents.agents=[19,22,26] -r 8 --until-ci sl:0.02 --max-replications 64
# More ranks than blocks: one point of two replications.
same tiny $((ranks + 2)) --grid agent_groups.agents.agents=[21] -r 2
# Ctrl-C on mpirun once a point is written keeps the checkpoint; --resume under mpirun finishes it to
# the datasets of one uninterrupted process.
mkdir "$dir/resume-one" "$dir/resume-mpi"
long="--range agent_groups.agents.agents=10,69,1 -r 40 -o out.h5 -t 1"
(cd "$dir/resume-one" && "$one" sweep ../s.yaml $long >/dev/null 2>&1)
cd "$dir/resume-mpi"
"$mpirun" -n "$ranks" --oversubscribe --allow-run-as-root "$ccsim" sweep ../s.yaml $long >log 2>&1 &
pid=$!
i=0
# 0 too before mpirun's shell has made the log (grep then prints nothing, which `[ -lt ]` refuses).
written() {
  local n
  n=$(grep -c "replications by rank" log 2>/dev/null || true)
  echo "${n:-0}"
}
while [ "$(written)" -lt 1 ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
kill -INT $pid
wait $pid || true
if [ ! -f out.h5.checkpoint ] || [ -f out.h5 ]; then echo "Ctrl-C on mpirun left no checkpoint" >&2; exit 1; fi
"$mpirun" -n "$ranks" --oversubscribe --allow-run-as-root "$ccsim" sweep ../s.yaml $long --resume >resumed 2>&1
grep ", from point " resumed
cd - >/dev/null
"$h5diff" "$dir/resume-one/out.h5" "$dir/resume-mpi/out.h5"
(cd "$dir/seed" && "$one" sweep ../s.yaml $args -o out.h5 -t 1 -s 2 -q)
if "$h5diff" -q "$dir/grid-one/out.h5" "$dir/seed/out.h5"; then
  echo "h5diff found no difference between two seeds" >&2
  exit 1
fi
echo "mpirun -n $ranks: the same datasets as one process (grid, one point, --until-ci, few blocks, --resume)"
