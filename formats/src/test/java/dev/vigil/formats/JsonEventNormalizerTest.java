package dev.vigil.formats;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.TenantId;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JsonEventNormalizerTest {
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    @SuppressWarnings("unchecked")
    private static Event normalize(String text) throws IOException {
        Map<String, Object> map = MAPPER.readValue(text.replace('\'', '"'), Map.class);
        return JsonEventNormalizer.normalize(map, "in.json", 3, TenantId.DEFAULT);
    }

    @Test
    void nestedObjectsFlattenWithDots() throws IOException {
        Event e = normalize("""
                {'process': {'pid': 1, 'name': 'sshd', 'args': ['-D', '-p', 22], 'parent': {'pid': 0}},
                 'ok': true, 'ratio': 0.5, 'none': null, 'tags': [],
                 'hits': [{'ip': '10.0.0.1'}, {'ip': '10.0.0.2'}]}
                """);
        assertThat(e.fields())
                .containsEntry("process.pid", 1L)
                .containsEntry("process.name", "sshd")
                .containsEntry("process.args", List.of("-D", "-p", 22L))
                .containsEntry("process.parent.pid", 0L)
                .containsEntry("ok", true)
                .containsEntry("ratio", 0.5)
                .containsEntry("none", null)
                .containsEntry("tags", List.of())
                .containsEntry("hits.ip", List.of("10.0.0.1", "10.0.0.2"));
        assertThat(e.original()).isInstanceOf(Map.class);
        assertThat(e.logSource()).isEqualTo(LogSource.UNKNOWN);
        assertThat(e.timestamp()).isNull();
        assertThat(e.source().record()).isEqualTo(3);
    }

    @Test
    void timestampsFromTheUsualKeys() throws IOException {
        Instant t = Instant.parse("2024-05-01T10:00:00Z");
        assertThat(normalize("{'@timestamp': '2024-05-01T10:00:00Z'}").timestamp())
                .isEqualTo(t);
        assertThat(normalize("{'timestamp': '2024-05-01T12:00:00+02:00'}").timestamp())
                .isEqualTo(t);
        assertThat(normalize("{'time': '2024-05-01 10:00:00'}").timestamp()).isEqualTo(t);
        assertThat(normalize("{'ts': 1714557600}").timestamp()).isEqualTo(t);
        assertThat(normalize("{'ts': 1714557600000}").timestamp()).isEqualTo(t);
        assertThat(normalize("{'ts': 1714557600.25}").timestamp()).isEqualTo(t.plusMillis(250));
        assertThat(normalize("{'ts': '1714557600'}").timestamp()).isEqualTo(t);
        assertThat(normalize("{'time': 'yesterday', 'ts': 1714557600}").timestamp())
                .isEqualTo(t);
        assertThat(normalize("{'time': 'yesterday'}").timestamp()).isNull();
        assertThat(normalize("{'time': '2024-05-01T10:00:00.123456789Z'}").timestamp())
                .isEqualTo(t.plusNanos(123_456_789));
        assertThat(normalize("{'time': '2024-05-01T10:00:00.5Z'}").timestamp()).isEqualTo(t.plusMillis(500));
        assertThat(normalize("{'time': '2024-02-30T10:00:00Z'}").timestamp()).isNull();
    }

    @Test
    void aLogsourceObjectIsUsed() throws IOException {
        Event e = normalize("{'logsource': {'product': 'linux', 'service': 'auditd'}, 'type': 'EXECVE'}");
        assertThat(e.logSource()).isEqualTo(new LogSource("linux", Set.of(), Set.of("auditd")));
        Event c = normalize("{'logsource': {'category': ['proxy', 'webserver']}}");
        assertThat(c.logSource()).isEqualTo(new LogSource(null, Set.of("proxy", "webserver"), Set.of()));
    }

    @Test
    void manyObjectsInAListMakeOneMultiValuedField() {
        // Each repeated key used to copy the list built so far: 200,000 repeats took over 20 seconds.
        int n = 200_000;
        List<Object> hits = new java.util.ArrayList<>(n);
        for (long i = 0; i < n; i++) {
            hits.add(Map.of("ip", i));
        }
        Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("hits", hits);
        root.put("more", List.of(Map.of("ip", List.of(-1L, -2L)), Map.of("ip", -3L)));
        Event e = JsonEventNormalizer.normalize(root, "in.json", 1, TenantId.DEFAULT);
        assertThat(e.fields().get("hits.ip"))
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .hasSize(n)
                .startsWith(0L, 1L, 2L)
                .endsWith((long) n - 1);
        assertThat(e.fields()).containsEntry("more.ip", List.of(-1L, -2L, -3L));
    }

    @Test
    void anAlreadyFlatWindowsEventIsClassified() throws IOException {
        Event e = normalize("{'EventID': 4688, 'Channel': 'Security', 'CommandLine': 'x'}");
        assertThat(e.logSource()).isEqualTo(new LogSource("windows", Set.of("process_creation"), Set.of("security")));
    }
}
