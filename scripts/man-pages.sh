#!/bin/sh
# Writes the troff man pages into OUTDIR with `vigil man --outdir` (the build runs this at prepare-package).
# The JDK: the toolchain's when Maven selected one (it runs on an older JDK), else Maven's own.
# Usage: scripts/man-pages.sh MAVEN_JAVA_HOME CLASSPATH OUTDIR
java="${TOOLCHAIN_JAVA_HOME:-$1}/bin/java"
exec "$java" -XX:+IgnoreUnrecognizedVMOptions -XX:TieredStopAtLevel=1 -Xshare:auto -cp "$2" dev.vigil.cli.Main man --outdir "$3"
