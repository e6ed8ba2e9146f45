package dev.vigil.notify;

import static java.util.Objects.requireNonNull;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * E-mail over SMTP with Eclipse Angus Mail: a {@code multipart/alternative} message with a plain-text and an HTML
 * part, both rendered from templates (values HTML-escaped in the HTML part), and a one-line subject (line breaks in
 * values cannot add headers; Jakarta Mail encodes non-ASCII subjects as RFC 2047 words).
 *
 * <p>{@link StartTls#REQUIRED} refuses to send unless the server upgrades the connection (and its certificate is
 * trusted and names the host); {@link StartTls#OPPORTUNISTIC} upgrades when offered; {@link StartTls#OFF} never does.
 * AUTH PLAIN and LOGIN are offered when a user name is configured. SMTP 4xx replies and connection failures are
 * retryable; 5xx replies, refused credentials, a missing STARTTLS under REQUIRED and an untrusted certificate are not.
 */
public final class EmailChannel implements NotificationChannel {
    /** Whether the connection is upgraded to TLS with STARTTLS. */
    public enum StartTls {
        REQUIRED,
        OPPORTUNISTIC,
        OFF
    }

    /**
     * @param name the channel's name
     * @param host the SMTP server (submission port 587 normally)
     * @param port its port
     * @param startTls the STARTTLS policy
     * @param username the AUTH user, or {@code null} to send without authentication
     * @param password the AUTH password ({@code null} when {@code username} is)
     * @param from the sender address
     * @param to the recipients
     * @param connectTimeout how long to wait for a connection
     * @param timeout how long to wait for each read and write
     * @param sslContext the TLS context of STARTTLS (its trust decides which certificates are accepted), or {@code
     *     null} for the JDK's default trust store
     * @param templates per-locale templates, or {@code null} for the built-in e-mail ones
     */
    public record Config(
            String name,
            String host,
            int port,
            StartTls startTls,
            String username,
            String password,
            String from,
            List<String> to,
            Duration connectTimeout,
            Duration timeout,
            SSLContext sslContext,
            Map<MessageLocale, ChannelTemplates> templates)
            implements ChannelConfig {
        public Config {
            requireNonNull(name, "name");
            requireNonNull(host, "host");
            requireNonNull(startTls, "startTls");
            requireNonNull(from, "from");
            requireNonNull(to, "to");
            to = List.copyOf(to);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("channel " + name + ": port " + port + " is out of range");
            }
            if (to.isEmpty()) {
                throw new IllegalArgumentException("channel " + name + ": no recipients");
            }
            if (username != null && password == null) {
                throw new IllegalArgumentException("channel " + name + ": username without password");
            }
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout;
            timeout = timeout == null ? Duration.ofSeconds(30) : timeout;
            templates = BuiltinTemplates.withDefaults(TemplateStyle.EMAIL, templates);
            for (String address : to) {
                checkAddress(name, "to", address);
            }
            checkAddress(name, "from", from);
        }

        private static void checkAddress(String channel, String field, String address) {
            try {
                new InternetAddress(address, true);
            } catch (AddressException e) {
                throw new IllegalArgumentException(
                        "channel " + channel + ": " + field + " address '" + address + "' is invalid: "
                                + e.getMessage(),
                        e);
            }
        }
    }

    private final Config config;
    private final InstantSource clock;
    private final Session session;

    public EmailChannel(Config config, InstantSource clock) {
        this.config = requireNonNull(config, "config");
        this.clock = requireNonNull(clock, "clock");
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", config.host());
        p.setProperty("mail.smtp.port", Integer.toString(config.port()));
        p.setProperty(
                "mail.smtp.connectiontimeout",
                Long.toString(config.connectTimeout().toMillis()));
        p.setProperty("mail.smtp.timeout", Long.toString(config.timeout().toMillis()));
        p.setProperty("mail.smtp.writetimeout", Long.toString(config.timeout().toMillis()));
        p.setProperty("mail.smtp.starttls.enable", Boolean.toString(config.startTls() != StartTls.OFF));
        p.setProperty("mail.smtp.starttls.required", Boolean.toString(config.startTls() == StartTls.REQUIRED));
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        p.setProperty("mail.smtp.ssl.protocols", "TLSv1.3 TLSv1.2");
        if (config.sslContext() != null) {
            // Jakarta Mail takes a socket factory object under this key for STARTTLS as well as for SMTPS.
            p.put("mail.smtp.ssl.socketFactory", config.sslContext().getSocketFactory());
        }
        p.setProperty("mail.smtp.auth", Boolean.toString(config.username() != null));
        p.setProperty("mail.smtp.auth.mechanisms", "PLAIN LOGIN");
        this.session = Session.getInstance(p);
    }

    @Override
    public String name() {
        return config.name();
    }

    /** The message this channel sends for {@code n}. */
    MimeMessage message(Notification n, RenderOptions options) throws MessagingException {
        RenderedMessage m =
                MessageRenderer.render(config.templates().get(options.locale()), n, options.locale(), options.zone());
        MimeMessage msg = new MimeMessage(session);
        msg.setFrom(new InternetAddress(config.from(), true));
        for (String to : config.to()) {
            msg.addRecipient(Message.RecipientType.TO, new InternetAddress(to, true));
        }
        msg.setSubject(TextFormat.oneLine(m.title()), "UTF-8");
        msg.setSentDate(Date.from(clock.instant()));
        msg.setHeader("X-Vigil-Notification", TextFormat.oneLine(n.tenant().value() + "/" + n.id()));
        MimeMultipart alternative = new MimeMultipart("alternative");
        MimeBodyPart text = new MimeBodyPart();
        text.setText(m.body(), "UTF-8", "plain");
        alternative.addBodyPart(text);
        if (m.html() != null) {
            MimeBodyPart html = new MimeBodyPart();
            html.setText(m.html(), "UTF-8", "html");
            alternative.addBodyPart(html);
        }
        msg.setContent(alternative);
        msg.saveChanges();
        return msg;
    }

    @Override
    public DeliveryOutcome deliver(Notification n, RenderOptions options) {
        try {
            MimeMessage msg = message(n, options);
            try (Transport transport = session.getTransport("smtp")) {
                transport.connect(config.host(), config.port(), config.username(), config.password());
                transport.sendMessage(msg, msg.getAllRecipients());
            }
            return DeliveryOutcome.delivered();
        } catch (AuthenticationFailedException e) {
            return DeliveryOutcome.failed(
                    "SMTP authentication refused: " + TextFormat.oneLine(String.valueOf(e.getMessage())));
        } catch (MessagingException e) {
            return outcome(e);
        }
    }

    static DeliveryOutcome outcome(MessagingException e) {
        // MessagingException.getCause() is its next exception, so this walks Jakarta Mail's chain too.
        for (Throwable t = e; t != null; t = t.getCause()) {
            int code = switch (t) {
                case SMTPSendFailedException s -> s.getReturnCode();
                case SMTPAddressFailedException s -> s.getReturnCode();
                case SMTPSenderFailedException s -> s.getReturnCode();
                default -> 0;
            };
            String reason = "SMTP: " + TextFormat.oneLine(String.valueOf(t.getMessage()));
            if (code >= 500) {
                return DeliveryOutcome.failed(reason);
            }
            if (code >= 400) {
                return DeliveryOutcome.retryable(reason);
            }
            if (t instanceof SSLHandshakeException) {
                return DeliveryOutcome.failed("SMTP TLS failed: " + TextFormat.oneLine(String.valueOf(t.getMessage())));
            }
            if (t instanceof IOException) {
                return DeliveryOutcome.retryable(reason);
            }
        }
        String message = TextFormat.oneLine(String.valueOf(e.getMessage()));
        if (message.contains("STARTTLS")) {
            return DeliveryOutcome.failed("SMTP: " + message);
        }
        return DeliveryOutcome.retryable("SMTP: " + message);
    }
}
