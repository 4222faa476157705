# Sourced by ./mvnw, ./mainloop and .ci/run: exports JAVA_HOME for a JDK >= 21.
# Keeps JAVA_HOME (or the java on the PATH) when it is new enough, else takes the newest JDK
# found under /usr/lib/jvm or /opt.
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
pick_jdk() {
  local candidates=() c best="" best_v=0 v
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v java >/dev/null && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for c in /usr/lib/jvm/* /opt/*jdk* /opt/java/*; do [ -x "$c/bin/javac" ] && candidates+=("$c"); done
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/java" ] || continue
    v=$(java_major "$c"); [ -n "$v" ] || continue
    if [ "$v" -ge 21 ]; then
      [ "$c" = "${candidates[0]}" ] && { echo "$c"; return; }
      [ "$v" -gt "$best_v" ] && { best="$c"; best_v="$v"; }
    fi
  done
  [ -n "$best" ] && echo "$best"
}
if ! JAVA_HOME="$(pick_jdk)" || [ -z "$JAVA_HOME" ]; then
  echo "mainloop needs a JDK 21 or newer (set JAVA_HOME)" >&2; exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
