package dev.vigil.scenario.ssh.auth;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test-side stand-in for the text decoder: splits a raw syslog / journal / RFC 5424 line into host, program, pid
 * and message, enough for the corpus files. (The real decoder lives in {@code dev.vigil.decode}.)
 */
public record LogLineSplit(String host, String program, long pid, String message) {
    private static final Pattern BSD_TIME = Pattern.compile("^[A-Z][a-z]{2} [ \\d]?\\d \\d\\d:\\d\\d:\\d\\d ");
    private static final Pattern ISO_TIME = Pattern.compile("^\\d{4}-\\d\\d-\\d\\dT\\S+ ");
    private static final Pattern RFC5424 = Pattern.compile("^<\\d+>1 (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) ");
    private static final Pattern PROG = Pattern.compile("^\\[?([A-Za-z][\\w.\\-/]*)(?:\\[(\\d+)\\])?\\]?:? ");

    public static LogLineSplit of(String line) {
        Matcher r = RFC5424.matcher(line);
        if (r.find()) {
            String rest = line.substring(r.end());
            if (rest.startsWith("- ")) rest = rest.substring(2);
            else if (rest.startsWith("[")) rest = rest.substring(structuredDataEnd(rest)).stripLeading();
            long pid = r.group(4).matches("\\d+") ? Long.parseLong(r.group(4)) : -1;
            return new LogLineSplit(r.group(2), r.group(3), pid, rest);
        }
        if (line.startsWith("type=")) return new LogLineSplit(null, null, -1, line);
        String rest = line;
        Matcher t = BSD_TIME.matcher(rest);
        if (t.find()) rest = rest.substring(t.end());
        else {
            Matcher i = ISO_TIME.matcher(rest);
            if (i.find()) rest = rest.substring(i.end());
        }
        Matcher p = PROG.matcher(rest);
        if (p.find() && isProgramToken(rest, p)) return program(null, rest, p);
        int sp = rest.indexOf(' ');
        if (sp > 0) {
            String host = rest.substring(0, sp);
            String after = rest.substring(sp + 1);
            Matcher p2 = PROG.matcher(after);
            if (p2.find()) return program(host, after, p2);
        }
        return new LogLineSplit(null, null, -1, rest);
    }

    /** "sshd[1]:", "[sshd]:", "[sshd]", "dropbear[2]:" count as a program; a bare word needs a colon or pid. */
    private static boolean isProgramToken(String rest, Matcher p) {
        String tok = rest.substring(0, p.end()).trim();
        return tok.endsWith(":") || tok.startsWith("[") || p.group(2) != null;
    }

    private static LogLineSplit program(String host, String rest, Matcher p) {
        long pid = p.group(2) == null ? -1 : Long.parseLong(p.group(2));
        return new LogLineSplit(host, p.group(1), pid, rest.substring(p.end()));
    }

    private static int structuredDataEnd(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '[') {
            boolean quoted = false;
            i++;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\\') i++;
                else if (c == '"') quoted = !quoted;
                else if (c == ']' && !quoted) break;
                i++;
            }
            i++;
        }
        return i;
    }
}
