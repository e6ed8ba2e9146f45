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

    /** Derives "process.command_line" and "@timestamp" from CommandLine and the time, counting its calls. */
    private static final class CountingDeriver implements FieldDeriver {
        final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public boolean mayDerive(String name) {
            return name.indexOf('.') >= 0 || name.startsWith("@");
        }

        @Override
        public void derive(Event e, Map<String, Object> into) {
            calls.incrementAndGet();
            into.put("process.command_line", e.ownFields().get("CommandLine"));
            if (!e.ownFields().containsKey("host.name")) {
                into.put("host.name", "derived-host");
            }
            into.put("@timestamp", String.valueOf(e.timestamp()));
        }
    }

    private static Event derivedEvent(FieldDeriver deriver) {
        FieldMap fields = new FieldMap();
        fields.put("CommandLine", "whoami /all");
        fields.put("host.name", "own-host");
        return Event.builder()
                .tenant(TenantId.of("acme"))
                .fields(fields)
                .derivedFields(deriver)
                .original(Map.of("process", Map.of("pid", 7L)))
                .timestamp(Instant.parse("2026-01-05T10:00:00Z"))
                .build();
    }

    @Test
    void derivedFieldsAreComputedOnceWhenFirstAskedForAndFollowTheOwnFields() {
        CountingDeriver deriver = new CountingDeriver();
        Event e = derivedEvent(deriver);
        assertThat(e.field("CommandLine")).isEqualTo("whoami /all");
        assertThat(e.field("Image")).as("a name the deriver cannot give").isSameAs(Event.MISSING);
        assertThat(deriver.calls)
                .as("own fields and underivable names never derive")
                .hasValue(0);
        assertThat(e.ownFields()).containsOnlyKeys("CommandLine", "host.name");

        assertThat(e.field("process.command_line")).isEqualTo("whoami /all");
        assertThat(e.field("host.name"))
                .as("an own field wins over a derived one")
                .isEqualTo("own-host");
        assertThat(e.field("process.pid")).as("then the original, as before").isEqualTo(7L);
        assertThat(e.field("process.name")).isSameAs(Event.MISSING);
        Map<String, Object> all = e.fields();
        assertThat(all).isSameAs(e.fields());
        assertThat(List.copyOf(all.keySet()))
                .containsExactly("CommandLine", "host.name", "process.command_line", "@timestamp");
        assertThat(all)
                .containsEntry("host.name", "own-host")
                .containsEntry("@timestamp", "2026-01-05T10:00:00Z")
                .hasSize(4);
        assertThat(all.get("nothing")).isNull();
        assertThat(all.containsKey("process.command_line")).isTrue();
        java.util.Map<String, Object> visited = new java.util.LinkedHashMap<>();
        all.forEach(visited::put);
        assertThat(visited).isEqualTo(all);
        assertThat(deriver.calls).hasValue(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> all.put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> all.entrySet().iterator().next().setValue("changed"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void aDerivedNameTheEventHasIsDroppedSoNoNameIsListedTwice() {
        Event e = derivedEvent(new FieldDeriver() {
            @Override
            public boolean mayDerive(String name) {
                return true;
            }

            @Override
            public void derive(Event event, Map<String, Object> into) {
                into.put("CommandLine", "not the record's");
                into.put("process.name", "whoami");
            }
        });
        assertThat(List.copyOf(e.fields().keySet())).containsExactly("CommandLine", "host.name", "process.name");
        assertThat(e.fields()).containsEntry("CommandLine", "whoami /all").hasSize(3);
    }

    @Test
    void keywordSearchesSeeOnlyTheRecordsOwnValues() {
        Event e = derivedEvent(new CountingDeriver());
        List<Object> values = new java.util.ArrayList<>();
        e.forEachValue(values::add);
        assertThat(values).containsExactly("whoami /all", "own-host");
        e.fields();
        values.clear();
        e.forEachValue(values::add);
        assertThat(values).as("also after deriving").containsExactly("whoami /all", "own-host");
    }

    @Test
    void copiesShareWhatWasDerivedExceptACopyAtAnotherTime() {
        CountingDeriver deriver = new CountingDeriver();
        Event e = derivedEvent(deriver);
        Event other = e.withTenant(TenantId.of("other")).withSource(new SourceRef("wal", 1));
        assertThat(other.fields()).containsEntry("process.command_line", "whoami /all");
        assertThat(deriver.calls)
                .as("a copy made before deriving derives for itself")
                .hasValue(1);
        Map<String, Object> all = e.fields();
        Event after = e.withTenant(TenantId.of("other")).withSource(new SourceRef("wal", 2));
        assertThat(after.fields()).isSameAs(all);
        assertThat(after.field("process.command_line")).isEqualTo("whoami /all");
        assertThat(deriver.calls)
                .as("a copy made after deriving shares the result")
                .hasValue(2);
        Event moved = e.withTimestamp(Instant.parse("2026-11-25T00:00:00Z"));
        assertThat(moved.field("@timestamp")).isEqualTo("2026-11-25T00:00:00Z");
        assertThat(e.field("@timestamp")).isEqualTo("2026-01-05T10:00:00Z");
    }

    @Test
    void threadsDerivingAtOnceAllSeeTheSameFields() throws Exception {
        java.util.Random random = new java.util.Random(20261128L);
        for (int round = 0; round < 200; round++) {
            Event e = derivedEvent(new CountingDeriver());
            int threads = 2 + random.nextInt(3);
            java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<Map<String, Object>>> seen = new java.util.ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    boolean byLookup = random.nextBoolean();
                    seen.add(pool.submit(() -> {
                        start.await();
                        if (byLookup) {
                            assertThat(e.field("process.command_line")).isEqualTo("whoami /all");
                        }
                        return e.fields();
                    }));
                }
                Map<String, Object> first = seen.get(0).get();
                for (var f : seen) {
                    assertThat(f.get()).isSameAs(first).hasSize(4);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
