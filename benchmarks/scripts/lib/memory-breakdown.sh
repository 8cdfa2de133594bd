# Sourced by the server benchmarks: where a JVM's resident memory goes, from /proc and Native
# Memory Tracking (the JVM must run with -XX:NativeMemoryTracking=summary).
#   memory_header                   the column names
#   memory_columns PID              RSS, Java heap committed, the rest of the JVM's committed
#                                   memory, RSS minus all the JVM accounts for (libtorch and the C
#                                   allocator), NIO buffers ("Other"); MiB, space-separated
memory_header() { echo "RSS_MiB  heap_committed_MiB  other_JVM_MiB  outside_JVM_MiB  direct_buffers_MiB"; }

memory_columns() {
  local pid="$1" report rss_kb total_kb heap_kb other_kb
  report=$(jcmd "$pid" VM.native_memory summary 2>/dev/null || true)
  rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  # NMT prints committed KB per category: "- Java Heap (reserved=..., committed=NNNKB)".
  total_kb=$(echo "$report" | sed -n 's/^Total: reserved=[0-9]*KB, committed=\([0-9]*\)KB.*/\1/p')
  heap_kb=$(echo "$report" | sed -n 's/.*Java Heap (reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1/p' | head -1)
  other_kb=$(echo "$report" | sed -n 's/.*Other (reserved=[0-9]*KB, committed=\([0-9]*\)KB).*/\1/p' | head -1)
  awk -v rss="$rss_kb" -v total="${total_kb:-0}" -v heap="${heap_kb:-0}" -v other="${other_kb:-0}" \
    'BEGIN { printf "%.1f %.1f %.1f %.1f %.1f\n", rss/1024, heap/1024, (total-heap)/1024, (rss-total)/1024, other/1024 }'
}
