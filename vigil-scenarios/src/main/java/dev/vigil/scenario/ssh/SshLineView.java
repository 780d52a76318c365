package dev.vigil.scenario.ssh;

import dev.vigil.core.event.SshLogLine;
import dev.vigil.scenario.ssh.auth.AuthEvent;
import dev.vigil.scenario.ssh.auth.AuthKind;
import dev.vigil.scenario.ssh.auth.MessageKind;
import dev.vigil.scenario.ssh.auth.SshAuthClassifier;

/**
 * How the SSH scenario reads one line, for {@code vigil events} (the way {@code fail2ban-regex} and
 * {@code cscli explain} let a user check a line): the message kind, the classifier's finer kind, and the source
 * address attributed from sshd's own fields (null when the line names none or is unattributable).
 *
 * @param kind the message kind's label ("failed-password", "kex-failure", ...); null for lines of other programs
 * @param detail the classifier's kind (FAILED_PASSWORD, PAM_MORE_FAILURES, ...)
 * @param source the attributed address (zone index dropped, {@code ::ffff:} mapping undone), or null
 * @param user the user name the line gives, control characters escaped, or null
 * @param unattributable true when the line names a source that could not be read unambiguously
 * @param count attempts the line stands for ("message repeated N times", "PAM N more")
 */
public record SshLineView(String kind, String detail, String source, String user, boolean unattributable, int count) {

    /** The view of {@code line}, or null when the line is no SSH line (another program). */
    public static SshLineView of(SshLogLine line) {
        AuthEvent e = SshAuthClassifier.classify(line.program(), line.message());
        if (e.kind() == AuthKind.NOT_SSH) return null;
        return new SshLineView(MessageKind.of(e).label(), e.kind().name(), e.address(), SshIntrusionDetector.printable(e.user()),
                e.unattributable(), e.count());
    }
}
