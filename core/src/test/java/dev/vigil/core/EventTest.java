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

    @Test
    void aFieldIsItsValueNullIncludedAbsentIsMissingAndDottedNamesFallBackToTheOriginal() {
        java.util.LinkedHashMap<String, Object> fields = new java.util.LinkedHashMap<>();
        fields.put("User", null);
        fields.put("EventID", 4624L);
        fields.put("host.name", "flat");
        Event e = Event.builder()
                .tenant(TenantId.of("acme"))
                .fields(fields)
                .original(Map.of("process", Map.of("command_line", "cmd /c whoami"), "host", Map.of("name", "nested")))
                .build();
        assertThat(e.field("User")).as("present with a null value").isNull();
        assertThat(e.hasField("User")).isTrue();
        assertThat(e.field("EventID")).isEqualTo(4624L);
        assertThat(e.field("Image")).isSameAs(Event.MISSING);
        assertThat(e.hasField("Image")).isFalse();
        assertThat(e.field("host.name")).as("the flat field first").isEqualTo("flat");
        assertThat(e.field("process.command_line"))
                .as("a dotted name absent from the fields")
                .isEqualTo("cmd /c whoami");
        assertThat(e.field("process.pid")).isSameAs(Event.MISSING);
    }
}
