package dev.vigil.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventTest {
    private final Event event = Event.builder()
            .tenant(TenantId.of("acme"))
            .field("CommandLine", "whoami /all")
            .field("tags", List.of("a", "b"))
            .original(Map.of("CommandLine", "whoami /all"))
            .logSource(new LogSource("windows", java.util.Set.of("process_creation"), java.util.Set.of()))
            .timestamp(Instant.parse("2026-01-05T10:00:00Z"))
            .source(new SourceRef("input", 7))
            .build();

    @Test
    void copiesChangeOnlyWhatTheyName() {
        Event other = event.withTenant(TenantId.of("other"))
                .withSource(new SourceRef("wal", 42))
                .withTimestamp(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(other.tenant()).isEqualTo(TenantId.of("other"));
        assertThat(other.source()).isEqualTo(new SourceRef("wal", 42));
        assertThat(other.timestamp()).isEqualTo(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(other.fields()).isEqualTo(event.fields());
        assertThat(other.original()).isEqualTo(event.original());
        assertThat(other.logSource()).isEqualTo(event.logSource());
        assertThat(event.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(event.source()).isEqualTo(new SourceRef("input", 7));
        assertThat(event.withTenant(TenantId.of("acme"))).isSameAs(event);
    }
}
