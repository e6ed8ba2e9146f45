package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ServerMetricsTest {
    /**
     * A counter read from elsewhere keeps counting after a collection: Micrometer holds what a function counter reads
     * weakly, and a method reference made for the call would otherwise be collected (the counter then read NaN).
     */
    @Test
    void aFunctionCounterSurvivesACollection() {
        ServerMetrics metrics = new ServerMetrics();
        AtomicLong count = new AtomicLong(41);
        metrics.counter("vigil_test_events", "events counted elsewhere", count::get);
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        count.incrementAndGet();
        assertThat(metrics.scrape()).contains("vigil_test_events_total 42.0");
    }
}
