package dev.vigil.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import dev.vigil.formats.JsonEventNormalizer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The attack scenario {@code vigil server --demo} replays, written for this project: a phishing document on a finance
 * workstation leads to a PowerShell download cradle, discovery, persistence, an LSASS dump, PsExec to a file server,
 * shadow copies deleted and the log cleared; in parallel a web server is exploited, recon runs, a reverse shell
 * connects back, the shadow file is read and sudoers, SSH keys and shell history are tampered with. The events are
 * shifted in time so that the last one happens now.
 */
final class DemoScenario {
    static final String RESOURCE = "demo/scenario.ndjson";

    private DemoScenario() {}

    static List<Event> events(TenantId tenant, Instant endAt) {
        ObjectMapper json = new ObjectMapper();
        List<Event> parsed = new ArrayList<>();
        try (InputStream in = DemoScenario.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo scenario is missing from this build");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            long n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> map = json.readValue(line, Map.class);
                parsed.add(JsonEventNormalizer.normalize(map, "demo", n, tenant));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the demo scenario", e);
        }
        Instant last = parsed.stream()
                .map(Event::timestamp)
                .filter(java.util.Objects::nonNull)
                .max(Instant::compareTo)
                .orElse(endAt);
        Duration shift = Duration.between(last, endAt);
        List<Event> out = new ArrayList<>(parsed.size());
        for (Event e : parsed) {
            out.add(e.timestamp() == null ? e : e.withTimestamp(e.timestamp().plus(shift)));
        }
        return out;
    }
}
