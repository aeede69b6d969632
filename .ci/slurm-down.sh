#!/bin/bash
# Stops ONLY the daemons that .ci/slurm-up.sh started (recorded in $SLURM_CI_DIR/run/*.started).
set -uo pipefail
BASE=${SLURM_CI_DIR:-/tmp/agentctl-slurm-ci}
RUN=$BASE/run
# A private cluster (slurm-up.sh with SLURM_CI_CONF): its clients must read its configuration.
if [ -n "${SLURM_CI_CONF:-}" ]; then export SLURM_CONF=$SLURM_CI_CONF; fi
stop() { # stop NAME : NAME is both the marker file stem and the expected /proc/PID/comm
  local f="$RUN/$1.started" pid
  [ -f "$f" ] || { echo "[slurm-down] $1: not started by us, leaving it"; return 0; }
  pid=$(cat "$f")
  if [ "$(cat /proc/$pid/comm 2>/dev/null)" = "$1" ]; then
    kill -TERM "$pid"
    for _ in $(seq 1 100); do [ -d /proc/$pid ] || break; sleep 0.1; done
    if [ -d /proc/$pid ]; then kill -KILL "$pid"; echo "[slurm-down] $1 pid $pid KILLed"
    else echo "[slurm-down] $1 pid $pid stopped"; fi
  else
    echo "[slurm-down] $1 pid $pid no longer running"
  fi
  rm -f "$f"
}
# Cancel the jobs first (only when we started slurmctld, i.e. the cluster is ours) so that no
# slurmstepd or job process outlives slurmd.
if [ -f "$RUN/slurmctld.started" ] && command -v squeue >/dev/null; then
  ids=$(squeue -h -o %i 2>/dev/null || true)
  if [ -n "$ids" ]; then
    # shellcheck disable=SC2086 # one job id per word
    scancel $ids 2>/dev/null || true
    for _ in $(seq 1 100); do [ -z "$(squeue -h -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
fi
stop slurmd
stop slurmctld
stop munged
exit 0
