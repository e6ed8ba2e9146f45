package dev.vigil.notify;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A minimal SMTP server (RFC 5321) for the e-mail tests, on real sockets on 127.0.0.1: EHLO, STARTTLS (RFC 3207) with a
 * real TLS handshake, AUTH PLAIN and LOGIN (RFC 4954) checked against a user table, MAIL, RCPT, DATA with dot
 * unstuffing, RSET, NOOP, QUIT. Written for the tests because GreenMail, the usual choice, has no STARTTLS (its issue
 * #135 is open). Replies to MAIL and RCPT can be scripted to test 4xx and 5xx handling.
 */
final class LoopbackSmtpServer implements AutoCloseable {
    /** A message as received. */
    record Received(
            String mailFrom, List<String> recipients, byte[] data, boolean tls, String authUser, String mechanism) {}

    /**
     * @param startTls the TLS context to offer STARTTLS with, or {@code null} not to offer it
     * @param users user → password; {@code null} for a server that takes mail without AUTH
     * @param mechanisms the AUTH mechanisms advertised, e.g. "PLAIN LOGIN"
     * @param authOnlyAfterTls advertise AUTH only on a TLS connection, as submission servers do
     * @param mailReply the reply to MAIL FROM (e.g. "451 4.3.0 try again later")
     * @param rcptReply the reply to RCPT TO
     */
    record Settings(
            SSLContext startTls,
            Map<String, String> users,
            String mechanisms,
            boolean authOnlyAfterTls,
            String mailReply,
            String rcptReply) {}

    private final Settings settings;
    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();

    LoopbackSmtpServer(Settings settings) throws IOException {
        this.settings = settings;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "smtp-test-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    List<Received> received() {
        return new ArrayList<>(received);
    }

    /** Every command line received, AUTH payloads included, in order. */
    List<String> commands() {
        return new ArrayList<>(commands);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> session(s), "smtp-test-session");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void session(Socket plain) {
        Socket socket = plain;
        try {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            boolean tls = false;
            String user = null;
            String mechanism = null;
            String from = null;
            List<String> rcpt = new ArrayList<>();
            reply(out, "220 localhost ESMTP Vigil test server");
            String line;
            while ((line = readLine(in)) != null) {
                commands.add(line);
                String upper = line.toUpperCase(Locale.ROOT);
                if (upper.startsWith("EHLO")) {
                    List<String> ext = new ArrayList<>(List.of("localhost greets you"));
                    if (settings.startTls() != null && !tls) {
                        ext.add("STARTTLS");
                    }
                    if (settings.users() != null && (tls || !settings.authOnlyAfterTls())) {
                        ext.add("AUTH " + settings.mechanisms());
                    }
                    ext.add("8BITMIME");
                    for (int i = 0; i < ext.size(); i++) {
                        reply(out, "250" + (i == ext.size() - 1 ? " " : "-") + ext.get(i));
                    }
                } else if (upper.startsWith("HELO")) {
                    reply(out, "250 localhost");
                } else if (upper.equals("STARTTLS") && settings.startTls() != null && !tls) {
                    reply(out, "220 2.0.0 Ready to start TLS");
                    SSLSocket s = (SSLSocket)
                            settings.startTls().getSocketFactory().createSocket(socket, null, socket.getPort(), true);
                    s.setUseClientMode(false);
                    s.startHandshake();
                    socket = s;
                    open.add(s);
                    in = new BufferedInputStream(s.getInputStream());
                    out = s.getOutputStream();
                    tls = true;
                    user = null;
                    from = null;
                    rcpt.clear();
                } else if (upper.startsWith("AUTH ") && settings.users() != null) {
                    String[] parts = line.split(" ");
                    String mech = parts[1].toUpperCase(Locale.ROOT);
                    String u;
                    String p;
                    if (mech.equals("PLAIN")) {
                        String payload = parts.length > 2 ? parts[2] : ask(in, out, "334 ");
                        String[] fields =
                                new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8).split("\0", -1);
                        u = fields.length == 3 ? fields[1] : "";
                        p = fields.length == 3 ? fields[2] : "";
                    } else if (mech.equals("LOGIN")) {
                        u = decode(parts.length > 2 ? parts[2] : ask(in, out, "334 VXNlcm5hbWU6"));
                        p = decode(ask(in, out, "334 UGFzc3dvcmQ6"));
                    } else {
                        reply(out, "504 5.5.4 Unrecognized authentication type");
                        continue;
                    }
                    if (p.equals(settings.users().get(u))) {
                        user = u;
                        mechanism = mech;
                        reply(out, "235 2.7.0 Authentication successful");
                    } else {
                        reply(out, "535 5.7.8 Authentication credentials invalid");
                    }
                } else if (upper.startsWith("MAIL FROM:")) {
                    if (settings.users() != null && user == null) {
                        reply(out, "530 5.7.0 Authentication required");
                    } else if (settings.mailReply() != null) {
                        reply(out, settings.mailReply());
                    } else {
                        from = line.substring(10).trim();
                        reply(out, "250 2.1.0 OK");
                    }
                } else if (upper.startsWith("RCPT TO:")) {
                    if (from == null) {
                        reply(out, "503 5.5.1 MAIL first");
                    } else if (settings.rcptReply() != null) {
                        reply(out, settings.rcptReply());
                    } else {
                        rcpt.add(line.substring(8).trim());
                        reply(out, "250 2.1.5 OK");
                    }
                } else if (upper.equals("DATA")) {
                    if (rcpt.isEmpty()) {
                        reply(out, "503 5.5.1 RCPT first");
                        continue;
                    }
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    ByteArrayOutputStream data = new ByteArrayOutputStream();
                    String d;
                    while ((d = readLine(in)) != null && !d.equals(".")) {
                        data.writeBytes((d.startsWith(".") ? d.substring(1) : d).getBytes(StandardCharsets.UTF_8));
                        data.writeBytes(new byte[] {'\r', '\n'});
                    }
                    received.add(new Received(from, List.copyOf(rcpt), data.toByteArray(), tls, user, mechanism));
                    from = null;
                    rcpt.clear();
                    reply(out, "250 2.0.0 OK queued");
                } else if (upper.equals("RSET")) {
                    from = null;
                    rcpt.clear();
                    reply(out, "250 2.0.0 OK");
                } else if (upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 OK");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    break;
                } else {
                    reply(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (IOException | RuntimeException e) {
            // The client went away or failed the handshake: the session ends.
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static String decode(String b64) {
        return new String(Base64.getDecoder().decode(b64.trim()), StandardCharsets.UTF_8);
    }

    private String ask(InputStream in, OutputStream out, String prompt) throws IOException {
        reply(out, prompt);
        String answer = readLine(in);
        if (answer == null) {
            throw new IOException("client closed during AUTH");
        }
        commands.add(answer);
        return answer;
    }

    private static void reply(OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** One line without CRLF, byte by byte so nothing past the line is consumed before a STARTTLS handshake. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = b.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.UTF_8);
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
