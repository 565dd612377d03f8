#!/bin/sh
# How ccsim hands an MPI sweep to the ccsim-mpi beside it (sim/cli/main.cpp), with a stand-in ccsim-mpi so
# that it runs in any build: `ccsim sweep` under mpirun's environment becomes the ccsim-mpi of its own
# directory (the running file's, not PATH's) with the same arguments, PID and environment; no other command
# does, nor a sweep outside mpirun; a ccsim-mpi that cannot run is an error naming it (exit 2); without one,
# ccsim says it has no MPI and refuses a sweep of several processes (exit 1). Run by ctest:
#   mpi_program.sh CCSIM
set -eu
ccsim=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() {
  echo "$*" >&2
  exit 1
}
# A copy of ccsim in a folder of its own (a hard link where the file system allows: no copy of the binary).
ln "$ccsim" "$dir/ccsim" 2>/dev/null || cp "$ccsim" "$dir/ccsim"
cd "$dir"
printf 'name: x\n' >s.yaml

# Alone: no MPI, and an mpirun of two processes is refused with what to install.
./ccsim --version | grep -q "without MPI" || fail "ccsim alone does not say it is without MPI"
code=0
OMPI_COMM_WORLD_SIZE=2 ./ccsim sweep s.yaml >out 2>&1 || code=$?
[ "$code" -eq 1 ] || fail "ccsim alone under mpirun: exit $code, not 1: $(cat out)"
grep -q "no ccsim-mpi lies beside this ccsim" out || fail "ccsim alone under mpirun: $(cat out)"

# With a stand-in ccsim-mpi that tells how it was started.
cat >ccsim-mpi <<'SH'
#!/bin/sh
echo "ccsim-mpi pid $$ argv0 $0 size ${OMPI_COMM_WORLD_SIZE:-} args $*"
SH
chmod +x ccsim-mpi
./ccsim --version | grep -q "with MPI sweeps (mpirun -n N ccsim sweep ...)" ||
  fail "ccsim does not say it has MPI sweeps with ccsim-mpi beside it: $(./ccsim --version)"
# Started from another folder by its path: the ccsim-mpi of ccsim's folder, the shell's PID kept.
out=$(cd / && OMPI_COMM_WORLD_SIZE=2 sh -c 'echo "shell $$"; exec "$0" sweep s.yaml -r "two words"' "$dir/ccsim")
expected="shell PID
ccsim-mpi pid PID argv0 $dir/ccsim-mpi size 2 args sweep s.yaml -r two words"
pid=$(echo "$out" | sed -n 's/^shell //p')
[ "$out" = "$(echo "$expected" | sed "s/PID/$pid/g")" ] || fail "ccsim under mpirun did not become ccsim-mpi: $out"
# srun's environment too.
PMI_SIZE=2 ./ccsim sweep s.yaml | grep -q "^ccsim-mpi .* args sweep s.yaml$" || fail "srun: no ccsim-mpi"
# Other commands, and a sweep outside mpirun, stay in ccsim.
OMPI_COMM_WORLD_SIZE=2 ./ccsim validate s.yaml >out 2>&1 || true
if grep -q "^ccsim-mpi" out; then fail "validate under mpirun ran ccsim-mpi"; fi
./ccsim sweep s.yaml >out 2>&1 || true
if grep -q "^ccsim-mpi" out; then fail "a sweep outside mpirun ran ccsim-mpi"; fi
grep -q "needs --grid or --range" out || fail "a sweep outside mpirun: $(cat out)"

# A ccsim-mpi that cannot run: an error naming it and why, exit 2, and no sweep.
chmod -x ccsim-mpi
code=0
OMPI_COMM_WORLD_SIZE=2 ./ccsim sweep s.yaml >out 2>&1 || code=$?
[ "$code" -eq 2 ] || fail "an unrunnable ccsim-mpi: exit $code, not 2: $(cat out)"
[ "$(cat out)" = "error: cannot run $dir/ccsim-mpi for the MPI sweep: Permission denied" ] ||
  fail "an unrunnable ccsim-mpi: $(cat out)"
echo "ccsim hands sweeps under mpirun and srun to the ccsim-mpi beside it, and only those"
