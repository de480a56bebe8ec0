# Stopping processes by PID, for every test and benchmark script (tests/peers/stop.sh,
# tests/e2e/lib.sh and the scripts that source it): a root and all its descendants, found
# through /proc before any dies, asked with SIGTERM, then SIGKILL after 3 s. The one way the
# scripts stop what they started. Source it; it sets no shell options of its own.

# ppid_map: "PID PPID" for every process (the comm field may hold spaces: cut after ") ").
ppid_map() {
  local f line rest pid
  for f in /proc/[0-9]*/stat; do
    { read -r line < "$f"; } 2>/dev/null || continue
    pid=${f#/proc/}; pid=${pid%/stat}
    rest=${line##*) }
    # rest: STATE PPID ...
    set -- $rest
    echo "$pid $2"
  done
}

# tree_pids ROOT...: the roots that still exist and all their descendants, parents first.
tree_pids() {
  local map queue=("$@") out=() p child parent
  map=$(ppid_map)
  while ((${#queue[@]})); do
    p=${queue[0]}; queue=("${queue[@]:1}")
    [ -n "$p" ] && [ -d "/proc/$p" ] || continue
    out+=("$p")
    while read -r child parent; do
      [ "$parent" = "$p" ] && queue+=("$child")
    done <<< "$map"
  done
  echo "${out[*]}"
}

# alive PID: true while PID runs (a zombie, waiting to be reaped, counts as gone).
alive() {
  local line
  { read -r line < "/proc/$1/stat"; } 2>/dev/null || return 1
  line=${line##*) }
  [ "${line%% *}" != Z ]
}

# stop_tree ROOT...: SIGTERM to the roots and every descendant (found before any dies, so
# orphans are not lost), SIGKILL to what is left after 3 s.
stop_tree() {
  local pids p left
  read -r -a pids <<< "$(tree_pids "$@")"
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null
  for _ in $(seq 1 30); do
    left=0
    for p in "${pids[@]}"; do alive "$p" && left=1; done
    [ "$left" = 0 ] && break
    sleep 0.1
  done
  for p in "${pids[@]}"; do alive "$p" && kill -KILL "$p" 2>/dev/null; done
  return 0
}
