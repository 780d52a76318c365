package dev.vigil.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetup;
import dev.vigil.core.finding.Severity;
import dev.vigil.core.policy.TargetDef;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmailNotifierTest {
    @RegisterExtension
    static final GreenMailExtension MAIL = new GreenMailExtension(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());

    private TargetDef target(Map<String, String> extra) {
        Map<String, String> s = new HashMap<>(Map.of("to", "sec@example.com, oncall@example.com", "from", "vigil@example.com",
                "smtp-host", "127.0.0.1", "smtp-port", String.valueOf(MAIL.getSmtp().getPort())));
        s.putAll(extra);
        return new TargetDef("mail", "email", Severity.LOW, s);
    }

    @Test
    void sendsPlainTextAndHtmlAlternatives() throws Exception {
        Delivery d = new EmailNotifier(k -> null).send(target(Map.of()), new Notice(NotifyFixtures.hostile(), 1, NotifyFixtures.T0));
        assertThat(d.ok()).as(d.detail()).isTrue();
        assertThat(d.detail()).isEqualTo("email: sent to 2 recipient(s)");
        MimeMessage[] got = MAIL.getReceivedMessages();
        assertThat(got).hasSize(2); // one copy per recipient
        MimeMessage m = got[0];
        assertThat(m.getSubject()).isEqualTo("vigil [HIGH] sg-open-ssh on sg-0123456789abcdef0");
        MimeMultipart mp = (MimeMultipart) m.getContent();
        assertThat(mp.getContentType()).startsWith("multipart/alternative");
        String text = (String) mp.getBodyPart(0).getContent();
        String html = (String) mp.getBodyPart(1).getContent();
        assertThat(mp.getBodyPart(0).getContentType()).startsWith("text/plain");
        assertThat(text).contains("who: <@channel> &  *fake*").contains("1 more finding(s)");
        assertThat(mp.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat(html).contains("<td>&lt;@channel&gt; &amp;  *fake*</td>").doesNotContain("<@channel>");
    }

    @Test
    void authenticatesWithCredentialsFromTheEnvironmentAndNeverEchoesThem() {
        MAIL.setUser("vigil@example.com", "vigil-user", "pw-SeCrEt");
        var t = target(Map.of("username-env", "SMTP_USER", "password-env", "SMTP_PASS"));
        Delivery ok = new EmailNotifier(Map.of("SMTP_USER", "vigil-user", "SMTP_PASS", "pw-SeCrEt")::get).send(t, Notice.of(NotifyFixtures.hostile()));
        assertThat(ok.ok()).as(ok.detail()).isTrue();

        Delivery bad = new EmailNotifier(Map.of("SMTP_USER", "vigil-user", "SMTP_PASS", "wrong-SeCrEt")::get).send(t, Notice.of(NotifyFixtures.hostile()));
        assertThat(bad.ok()).isFalse();
        assertThat(bad.detail()).isEqualTo("email: AuthenticationFailedException").doesNotContain("SeCrEt");

        Delivery unset = new EmailNotifier(Map.of("SMTP_USER", "vigil-user")::get).send(t, Notice.of(NotifyFixtures.hostile()));
        assertThat(unset.detail()).isEqualTo("environment variable SMTP_PASS is not set");
    }
}
