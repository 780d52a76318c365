#!/bin/sh
# upgrade-old-classes.sh JAVA_HOME JAR PREFIX...: the pre-Java-6 class files of JAR under PREFIX as Java 8 ones (an AOT
# cache can hold them then: see UpgradeOldClasses.java). Skipped, with a message, on a JDK older than 24.
set -eu
JH="$1"; shift
V="$("$JH/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p')"
if [ -z "$V" ] || [ "$V" -lt 24 ]; then
  echo "upgrade-old-classes: JDK $V (< 24, no java.lang.classfile): class files left as they are"
  exit 0
fi
exec "$JH/bin/java" "$(dirname "$0")/UpgradeOldClasses.java" "$@"
