package dev.vigil.console;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A plain HTTP client that keeps the console's session cookie by hand (the JDK's cookie handler would not send a
 * {@code Secure} cookie over http://127.0.0.1) and follows no redirects, so tests see every status.
 */
final class HttpSession {
    private static final Pattern CSRF = Pattern.compile("<meta name=\"csrf-token\" content=\"([0-9a-f]+)\">");
    private final HttpClient client =
            HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String base;
    String cookie;
    String lastSetCookie;

    /** A session of {@code user} (password {@code ConsoleFixture.PASSWORD}) signed in to {@code console}. */
    static HttpSession signedIn(dev.vigil.console.testing.ConsoleFixture console, String user) throws Exception {
        HttpSession s = new HttpSession(console.url(""));
        org.assertj.core.api.Assertions.assertThat(s.login(user, dev.vigil.console.testing.ConsoleFixture.PASSWORD)
                        .statusCode())
                .as("login of " + user)
                .isEqualTo(303);
        return s;
    }

    HttpSession(String base) {
        this.base = base;
    }

    HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
        return send(b, headers);
    }

    HttpResponse<String> post(String path, Map<String, List<String>> form, String... headers)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .flatMap(e -> e.getValue().stream()
                        .map(v -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                                + URLEncoder.encode(v, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return send(b, headers);
    }

    private HttpResponse<String> send(HttpRequest.Builder b, String... headers)
            throws IOException, InterruptedException {
        if (cookie != null) {
            b.header("Cookie", Console.COOKIE + "=" + cookie);
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        r.headers().firstValue("Set-Cookie").ifPresent(c -> {
            lastSetCookie = c;
            if (c.startsWith(Console.COOKIE + "=")) {
                String v = c.substring(Console.COOKIE.length() + 1, c.indexOf(';'));
                cookie = v.isEmpty() ? null : v;
            }
        });
        return r;
    }

    /** Signs in; returns the response of the login POST. */
    HttpResponse<String> login(String user, String password) throws IOException, InterruptedException {
        return post("/login", Map.of("username", List.of(user), "password", List.of(password)));
    }

    /** The CSRF token of the session, read from a page's meta tag. */
    String csrf(String tenantPage) throws IOException, InterruptedException {
        String html = get(tenantPage).body();
        Matcher m = CSRF.matcher(html);
        if (!m.find()) {
            throw new AssertionError("no CSRF meta tag on " + tenantPage + ":\n" + html);
        }
        return m.group(1);
    }
}
