# Sourced by ./roentgen: a class-data-sharing archive (AppCDS) of the classes a short command
# loads, kept beside the CLI jar, so that each start maps them parsed and verified instead of
# reading them from the jar (docs/DECISIONS.md, "Class data sharing for the CLI"; BENCHMARKS.md,
# "De-identification against gdcmanon"). `roentgen --version`: 0.22 against 0.32 CPU s.
#
# A static archive from a class list, not JDK 17's one-step dynamic archive
# (-XX:ArchiveClassesAtExit): picocli is compiled for Java 5, and a dynamic archive leaves out
# classes older than Java 6, which are most of what a short command loads from the jar (172 of
# 174 for --version); -Xshare:dump takes them.
#
# Made once per jar and JVM, by the first start after a build: io.roentgen.cli.StartupArchiveWorkload
# (`--version`, then a de-identification of small synthetic files) lists the classes it loads,
# -Xshare:dump writes them into a temporary file, renamed into place, so a concurrent start
# never maps half an archive. The name carries the JVM (its path, and libjvm's size and time),
# since an archive serves only the JVM that wrote it; a rebuilt jar is newer than its archive,
# which is then made again. A failed attempt leaves a marker and is not retried until the jar
# changes.
#
# Never breaks a run: the JVM checks the archive's header, JVM and classpath itself and starts
# without it (-Xshare:auto, the default) when any does not match or the file is damaged, and its
# messages about that are switched off, so stdout stays the command's. ROENTGEN_CDS=0 leaves the
# archive out; flags in ROENTGEN_JAVA_OPTS come after and win.
#
# Sets `cds` to the JVM flags (empty when there is no usable archive).
cds=()
if [[ "${ROENTGEN_CDS:-1}" == "1" ]]; then
  # Two programs run here, readlink and stat; the rest is bash (docs/DECISIONS.md, "A launcher
  # that forks little"). The name's hash is FNV-1a in shell arithmetic, not cksum.
  roentgen_java=""
  if [[ "${JAVA:-java}" == */* ]]; then
    [[ -x "$JAVA" ]] && roentgen_java="$JAVA"
  elif hash "${JAVA:-java}" 2>/dev/null; then
    roentgen_java="${BASH_CMDS[${JAVA:-java}]}"
  fi
  if [[ -n "$roentgen_java" ]]; then
    roentgen_java="$(readlink -f "$roentgen_java" 2>/dev/null || printf '%s' "$roentgen_java")"
    roentgen_cds_dir="${jar%/*}/cds"
    roentgen_home="${roentgen_java%/*}"
    roentgen_cds_id="$(stat -L -c '%s %Y' "$roentgen_java" "${roentgen_home%/*}/lib/server/libjvm.so" 2>/dev/null || true)"
    roentgen_key="$roentgen_java ${roentgen_cds_id//$'\n'/ }"
    roentgen_hash=2166136261
    for (( roentgen_i = 0; roentgen_i < ${#roentgen_key}; roentgen_i++ )); do
      printf -v roentgen_c '%d' "'${roentgen_key:roentgen_i:1}"
      roentgen_hash=$(( ((roentgen_hash ^ roentgen_c) * 16777619) & 0xFFFFFFFF ))
    done
    roentgen_cds="$roentgen_cds_dir/roentgen-$roentgen_hash.jsa"
    # What the JVM says about an archive it cannot use (tags cds and class+path) goes nowhere.
    roentgen_cds_quiet=(-Xlog:cds=off -Xlog:class+path=off)
    if [[ ! ( -s "$roentgen_cds" && "$roentgen_cds" -nt "$jar" ) && ! "$roentgen_cds.failed" -nt "$jar" ]] \
        && mkdir -p "$roentgen_cds_dir" 2>/dev/null && [[ -w "$roentgen_cds_dir" ]]; then
      echo "roentgen: writing the start-up archive (once per build)..." >&2
      roentgen_cds_tmp="$roentgen_cds.$$.tmp"
      # Only the jar on the classpath: the archive then serves the CPU and the GPU classpath alike
      # (a run's classpath may extend the one the archive was made with).
      if "${JAVA:-java}" -Xshare:off -XX:DumpLoadedClassList="$roentgen_cds_tmp.classes" -cp "$jar" \
            io.roentgen.cli.StartupArchiveWorkload >"$roentgen_cds_dir/last-run.log" 2>&1 \
          && "${JAVA:-java}" -Xshare:dump -XX:SharedClassListFile="$roentgen_cds_tmp.classes" \
            -XX:SharedArchiveFile="$roentgen_cds_tmp" -cp "$jar" >>"$roentgen_cds_dir/last-run.log" 2>&1 \
          && [[ -s "$roentgen_cds_tmp" ]]; then
        mv -f "$roentgen_cds_tmp" "$roentgen_cds"
        for roentgen_old in "$roentgen_cds_dir"/roentgen-*.jsa; do   # archives of another JVM
          [[ "$roentgen_old" == "$roentgen_cds" ]] || rm -f "$roentgen_old" "$roentgen_old.failed"
        done
      else
        rm -f "$roentgen_cds_tmp"
        : >"$roentgen_cds.failed" 2>/dev/null || true
      fi
      rm -f "$roentgen_cds_tmp.classes"
    fi
    if [[ -s "$roentgen_cds" && "$roentgen_cds" -nt "$jar" ]]; then
      cds=(-XX:SharedArchiveFile="$roentgen_cds" "${roentgen_cds_quiet[@]}")
    fi
    unset roentgen_cds_dir roentgen_cds_id roentgen_cds_tmp roentgen_cds_quiet roentgen_old roentgen_home roentgen_key \
      roentgen_hash roentgen_i roentgen_c
  fi
  unset roentgen_java roentgen_cds
fi
