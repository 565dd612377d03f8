#!/bin/sh
# A sweep under `mpirun -n RANKS` (points handed out as ranks ask) writes the datasets one process writes (h5diff finds no difference), and
# h5diff does find one against another seed (so the comparison can fail). Run by ctest (label `mpi`):
#   mpi_sweep.sh CCSIM RANKS MPIRUN H5DIFF
set -eu
ccsim=$1 ranks=$2 mpirun=$3 h5diff=$4
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir "$dir/one" "$dir/mpi" "$dir/seed"
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
args="--range agent_groups.agents.agents=18,24,1 --grid contact_types.calls.patience.mean=[60s,300s] -r 3 -q -o out.h5"
(cd "$dir/one" && "$ccsim" sweep ../s.yaml $args -t 1)
# Open MPI in containers and as root: shared memory without CMA, more ranks than cores, root allowed.
OMPI_MCA_btl_vader_single_copy_mechanism=none
export OMPI_MCA_btl_vader_single_copy_mechanism
(cd "$dir/mpi" && "$mpirun" -n "$ranks" --oversubscribe --allow-run-as-root "$ccsim" sweep ../s.yaml $args -t 1)
"$h5diff" "$dir/one/out.h5" "$dir/mpi/out.h5"
# More ranks than points: the ranks left without work end cleanly.
mkdir "$dir/few-one" "$dir/few-mpi"
few="--grid agent_groups.agents.agents=[20,22] -r 2 -q -o out.h5"
(cd "$dir/few-one" && "$ccsim" sweep ../s.yaml $few -t 1)
(cd "$dir/few-mpi" && "$mpirun" -n $((ranks + 2)) --oversubscribe --allow-run-as-root "$ccsim" sweep ../s.yaml $few -t 1)
"$h5diff" "$dir/few-one/out.h5" "$dir/few-mpi/out.h5"
(cd "$dir/seed" && "$ccsim" sweep ../s.yaml $args -t 1 -s 2)
if "$h5diff" -q "$dir/one/out.h5" "$dir/seed/out.h5"; then
  echo "h5diff found no difference between two seeds" >&2
  exit 1
fi
echo "mpirun -n $ranks: the same datasets as one process"
