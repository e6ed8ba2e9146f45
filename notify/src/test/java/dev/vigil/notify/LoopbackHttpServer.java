package dev.vigil.notify;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * An HTTP server on 127.0.0.1 for channel tests: it records every request and answers with the next scripted reply, or
 * with what a checking function decides (e.g. 401 when a signature does not verify).
 */
final class LoopbackHttpServer implements AutoCloseable {
    /** One received request. */
    record Request(String method, URI uri, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().getFirst();
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** A reply: status, body, optional Retry-After, and a latch to wait on first (a slow receiver). */
    record Reply(int status, String body, String retryAfter, CountDownLatch holdUntil) {
        static Reply of(int status, String body) {
            return new Reply(status, body, null, null);
        }
    }

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> script = new ConcurrentLinkedQueue<>();
    private volatile Function<Request, Reply> check = r -> null;
    private volatile Reply fallback = Reply.of(200, "{}");

    LoopbackHttpServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    /** Replies to the next requests in this order, then with the fallback. */
    LoopbackHttpServer script(Reply... replies) {
        script.addAll(List.of(replies));
        return this;
    }

    LoopbackHttpServer fallback(Reply reply) {
        this.fallback = reply;
        return this;
    }

    /** A check run before the script: a non-null reply from it is sent instead. */
    LoopbackHttpServer check(Function<Request, Reply> check) {
        this.check = check;
        return this;
    }

    List<Request> requests() {
        return new ArrayList<>(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Request request = new Request(
                exchange.getRequestMethod(), exchange.getRequestURI(), Map.copyOf(exchange.getRequestHeaders()), body);
        requests.add(request);
        Reply reply = check.apply(request);
        if (reply == null) {
            Reply next = script.poll();
            reply = next == null ? fallback : next;
        }
        if (reply.holdUntil() != null) {
            try {
                reply.holdUntil().await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (reply.retryAfter() != null) {
            exchange.getResponseHeaders().add("Retry-After", reply.retryAfter());
        }
        try {
            exchange.sendResponseHeaders(reply.status(), out.length == 0 ? -1 : out.length);
            try (OutputStream os = exchange.getResponseBody()) {
                os.write(out);
            }
        } catch (IOException clientGone) {
            // The client timed out and closed the connection: nothing to answer.
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
