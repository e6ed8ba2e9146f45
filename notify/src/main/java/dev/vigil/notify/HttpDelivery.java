package dev.vigil.notify;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** The HTTP part shared by the webhook and chat channels: one POST, a bounded reply, the status mapped to an outcome. */
final class HttpDelivery implements AutoCloseable {
    /** Replies are read up to this size; receivers' acknowledgements are small. */
    static final int MAX_REPLY_BYTES = 64 * 1024;

    private final HttpClient client;
    private final Duration requestTimeout;

    HttpDelivery(Duration connectTimeout, Duration requestTimeout) {
        this.client = HttpClient.newBuilder()
                .connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.requestTimeout = requestTimeout;
    }

    /** A reply: status, the first {@link #MAX_REPLY_BYTES} of the body, and the Retry-After header if any. */
    record Reply(int status, byte[] body, Optional<String> retryAfter) {
        boolean success() {
            return status >= 200 && status < 300;
        }

        /** The outcome of a non-2xx status: 429 and 5xx retryable (with Retry-After), other codes final. */
        DeliveryOutcome failure(Instant now) {
            String reason = "HTTP " + status + snippet();
            if (status == 429 || status >= 500) {
                return new DeliveryOutcome.Retryable(
                        reason, retryAfter.map(v -> parseRetryAfter(v, now)).orElse(null));
            }
            return DeliveryOutcome.failed(reason);
        }

        private String snippet() {
            if (body.length == 0) {
                return "";
            }
            String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
            return ": " + TextFormat.oneLine(s);
        }
    }

    /** POSTs {@code body}; IO errors and timeouts come back as exceptions, HTTP errors as a {@link Reply}. */
    Reply post(URI uri, byte[] body, String contentType, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", contentType)
                .header("User-Agent", "Vigil-Notify/1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        byte[] reply;
        try (InputStream in = response.body()) {
            reply = in.readNBytes(MAX_REPLY_BYTES);
        }
        return new Reply(response.statusCode(), reply, response.headers().firstValue("Retry-After"));
    }

    /** The outcome of an exception from {@link #post}: always retryable; interruption is passed on. */
    static DeliveryOutcome ioFailure(Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return DeliveryOutcome.retryable("interrupted");
        }
        if (e instanceof HttpTimeoutException) {
            return DeliveryOutcome.retryable("timed out: " + e.getMessage());
        }
        return DeliveryOutcome.retryable(e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    /** Retry-After as delta-seconds or an HTTP date (RFC 9110); {@code null} when unreadable or in the past. */
    static Duration parseRetryAfter(String value, Instant now) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(now, at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notDate) {
                return null;
            }
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
