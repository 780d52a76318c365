package dev.vigil.notify;

import dev.vigil.core.policy.TargetDef;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.function.Function;

/**
 * Email over SMTP: a multipart/alternative message (plain text and HTML of {@link MessageFormatter}). Settings:
 * {@code to} (comma-separated), {@code from}, {@code smtp-host}, {@code smtp-port} (default 587), {@code starttls}
 * ("true" requires STARTTLS), {@code username-env} / {@code password-env} naming environment variables. Failures say
 * the exception class only: server replies can echo what was sent.
 */
public final class EmailNotifier implements Notifier {
    private static final String TIMEOUT_MS = "10000";
    private final Function<String, String> env;
    private final MessageFormatter format = new MessageFormatter();

    public EmailNotifier(Function<String, String> env) {
        this.env = env;
    }

    @Override
    public Delivery send(TargetDef target, Notice notice) {
        var s = target.settings();
        String host = s.get("smtp-host");
        String port = s.getOrDefault("smtp-port", "587").trim();
        if (host == null || s.get("to") == null || s.get("from") == null) return Delivery.failed("email: to, from and smtp-host are needed", 0);
        if (!port.matches("[0-9]{1,5}")) return Delivery.failed("email: smtp-port is not a port number", 0);
        String user = Secrets.get(env, s.get("username-env"));
        String password = Secrets.get(env, s.get("password-env"));
        if (s.get("username-env") != null && user == null) return Delivery.failed("environment variable " + s.get("username-env") + " is not set", 0);
        if (s.get("password-env") != null && password == null) return Delivery.failed("environment variable " + s.get("password-env") + " is not set", 0);

        Properties p = new Properties();
        p.put("mail.smtp.host", host.trim());
        p.put("mail.smtp.port", port);
        p.put("mail.smtp.connectiontimeout", TIMEOUT_MS);
        p.put("mail.smtp.timeout", TIMEOUT_MS);
        p.put("mail.smtp.writetimeout", TIMEOUT_MS);
        if ("true".equalsIgnoreCase(s.get("starttls"))) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true");
        }
        if (user != null) p.put("mail.smtp.auth", "true");
        try {
            MimeMessage m = new MimeMessage(Session.getInstance(p));
            m.setFrom(new InternetAddress(s.get("from"), true));
            m.setRecipients(Message.RecipientType.TO, InternetAddress.parse(s.get("to"), true));
            m.setSubject(format.emailSubject(notice), StandardCharsets.UTF_8.name());
            MimeBodyPart text = new MimeBodyPart();
            text.setText(format.emailText(notice), StandardCharsets.UTF_8.name(), "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(format.emailHtml(notice), StandardCharsets.UTF_8.name(), "html");
            m.setContent(new MimeMultipart("alternative", text, html));
            if (user != null) Transport.send(m, user, password);
            else Transport.send(m);
            return Delivery.sent("email: sent to " + m.getAllRecipients().length + " recipient(s)", 1);
        } catch (MessagingException | RuntimeException e) {
            return Delivery.failed("email: " + e.getClass().getSimpleName(), 1);
        }
    }
}
