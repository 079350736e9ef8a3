# Sourced by bench scripts. timeit CMD...: wall-clock seconds of CMD (output dropped), the best of
# BENCH_RUNS runs (default 3): one run on a shared VM varies by 20%.
timeit() {
  local best="" s e t
  for _ in $(seq "${BENCH_RUNS:-3}"); do
    s=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; e=$(date +%s.%N)
    t=$(echo "$e - $s" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
  done
  echo "$best"
}
