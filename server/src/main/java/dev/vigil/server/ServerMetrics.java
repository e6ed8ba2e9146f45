package dev.vigil.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The server's Prometheus metrics: events in, refused and rejected per input, queue depth, events and alerts stored,
 * and the time spent in rules. One registry per server, so two servers in one JVM (tests) do not mix counts.
 */
final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    /** What the function counters read, held strongly (see {@link #counter(String, String, LongSupplier)}). */
    private final java.util.List<LongSupplier> counterSources = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Counter stored;
    private final Counter alerts;
    private final Counter corrupt;
    private final Timer ruleTime;
    private final Timer batchTime;
    private final Timer ackToStored;

    ServerMetrics() {
        stored = Counter.builder("vigil_events_stored")
                .description("events written to the store")
                .register(registry);
        alerts = Counter.builder("vigil_alerts")
                .description("alerts written to the store")
                .register(registry);
        corrupt = Counter.builder("vigil_log_records_corrupt")
                .description("write-ahead log records that could not be decoded")
                .register(registry);
        ruleTime = Timer.builder("vigil_rule_time")
                .description("time spent decoding and evaluating rules, per pipeline batch (wall, all matcher threads)")
                .register(registry);
        batchTime = Timer.builder("vigil_store_commit_time")
                .description("time to commit one pipeline batch with its alerts to the store")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
        ackToStored = Timer.builder("vigil_ack_to_stored")
                .description(
                        "from an event's acknowledgement to its commit with its alerts (oldest event of each batch)")
                // Buckets rather than quantile gauges (Micrometer's Prometheus registry publishes one or the other):
                // percentiles over any span and any number of servers with histogram_quantile, and over a
                // benchmark's measured iterations; the gauges covered a decaying window of about two minutes.
                .publishPercentileHistogram()
                .serviceLevelObjectives(
                        Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2))
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry);
    }

    void ackToStored(long millis) {
        ackToStored.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void gauge(String name, String description, Supplier<Number> value) {
        Gauge.builder(name, value).description(description).register(registry);
    }

    /**
     * A count kept elsewhere that only rises, exposed as a counter (Prometheus adds {@code _total}). The supplier is
     * kept here: Micrometer holds a function counter's object weakly, and a method reference made for this call is
     * referenced nowhere else, so after a collection the counter stopped counting.
     */
    void counter(String name, String description, LongSupplier value) {
        counter(name, description, Tags.empty(), value);
    }

    /** As {@link #counter(String, String, LongSupplier)}, with one tag. */
    void counter(String name, String description, String tag, String tagValue, LongSupplier value) {
        counter(name, description, Tags.of(tag, tagValue), value);
    }

    private void counter(String name, String description, Tags tags, LongSupplier value) {
        counterSources.add(value);
        FunctionCounter.builder(name, value, LongSupplier::getAsLong)
                .description(description)
                .tags(tags)
                .register(registry);
    }

    private Counter counter(String name, String description, String input) {
        return counters.computeIfAbsent(
                name + "\u0000" + input,
                k -> Counter.builder(name)
                        .description(description)
                        .tag("input", input)
                        .register(registry));
    }

    /** Counts one notification outcome ({@code sent}, {@code failed}, {@code retried}, ...) of a channel. */
    void notification(String outcome, String channel) {
        counters.computeIfAbsent(
                        "vigil_notifications\u0000" + outcome + "\u0000" + channel,
                        k -> Counter.builder("vigil_notifications")
                                .description("notifications by channel and outcome")
                                .tag("outcome", outcome)
                                .tag("channel", channel)
                                .register(registry))
                .increment();
    }

    /** Exposes a listener's or tailer's own counters (bytes, connections, drops) under its input name. */
    void inputCounters(dev.vigil.inputs.InputCounters c) {
        String input = c.input();
        Gauge.builder("vigil_input_bytes", c, dev.vigil.inputs.InputCounters::bytesIn)
                .description("bytes read by the input")
                .tag("input", input)
                .register(registry);
        Gauge.builder("vigil_input_dropped", c, x -> x.dropped() + x.refused())
                .description("messages dropped or refused by the input (UDP has no backpressure)")
                .tag("input", input)
                .register(registry);
        Gauge.builder("vigil_input_connections_open", c, dev.vigil.inputs.InputCounters::connectionsOpen)
                .tag("input", input)
                .register(registry);
        Gauge.builder("vigil_input_connections_closed_idle", c, dev.vigil.inputs.InputCounters::connectionsClosedIdle)
                .tag("input", input)
                .register(registry);
        Gauge.builder("vigil_input_rejected", c, dev.vigil.inputs.InputCounters::rejected)
                .description("malformed or oversized messages rejected by the input")
                .tag("input", input)
                .register(registry);
    }

    void received(String input, long events) {
        counter("vigil_events_in", "events accepted and acknowledged", input).increment(events);
    }

    void rejected(String input, long lines) {
        counter("vigil_events_rejected", "malformed records rejected", input).increment(lines);
    }

    void refused(String input, long events) {
        counter("vigil_events_refused", "events refused because the pipeline was behind", input)
                .increment(events);
    }

    void corruptRecord() {
        corrupt.increment();
    }

    /** Decoding, matching and detecting one pipeline batch. */
    void detected(long nanos) {
        ruleTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Committing one batch to the store. */
    void stored(int events, int alertCount, long nanos) {
        stored.increment(events);
        alerts.increment(alertCount);
        batchTime.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Events stored since the server started. */
    double storedTotal() {
        return stored.count();
    }

    String scrape() {
        return registry.scrape();
    }
}
