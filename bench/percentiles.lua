-- wrk script for bench/run.sh: prints the latency percentiles wrk's --latency leaves out (p99.9), in
-- microseconds, one per line, after wrk's own report.
done = function(summary, latency, requests)
  io.write(string.format("p99.9_us %d\n", latency:percentile(99.9)))
end
