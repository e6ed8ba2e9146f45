package dev.vigil.formats.windows;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventFormat;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.JsonEventNormalizer;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.ReadSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.xml.stream.XMLStreamException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WindowsXmlTest {
    private static final String NS = "http://schemas.microsoft.com/win/2004/08/events/event";

    @TempDir
    Path tmp;

    /** A tiny writer from the evtx_dump JSON shape back to Windows event XML. */
    private static String toXml(Map<String, Object> event) {
        StringBuilder sb = new StringBuilder();
        sb.append("<Event xmlns=\"").append(NS).append("\">");
        for (Map.Entry<String, Object> e : event.entrySet()) {
            if (e.getKey().equals("#attributes")) {
                continue;
            }
            if (e.getKey().equals("EventData") && e.getValue() instanceof Map<?, ?> data) {
                sb.append("<EventData>");
                for (Map.Entry<?, ?> d : data.entrySet()) {
                    if ("#attributes".equals(d.getKey())) {
                        continue;
                    }
                    if ("Data".equals(d.getKey())) {
                        for (Object v : d.getValue() instanceof List<?> l ? l : List.of(d.getValue())) {
                            sb.append("<Data>").append(text(v)).append("</Data>");
                        }
                        continue;
                    }
                    sb.append("<Data Name=\"")
                            .append(escape(String.valueOf(d.getKey())))
                            .append('"');
                    if (d.getValue() == null) {
                        sb.append("/>");
                    } else {
                        sb.append('>').append(text(d.getValue())).append("</Data>");
                    }
                }
                sb.append("</EventData>");
            } else {
                element(sb, e.getKey(), e.getValue());
            }
        }
        return sb.append("</Event>").toString();
    }

    private static void element(StringBuilder sb, String name, Object value) {
        if (value instanceof List<?> list) {
            list.forEach(v -> element(sb, name, v));
            return;
        }
        sb.append('<').append(name);
        if (value instanceof Map<?, ?> m) {
            if (m.get("#attributes") instanceof Map<?, ?> attrs) {
                attrs.forEach((k, v) -> sb.append(' ')
                        .append(k)
                        .append("=\"")
                        .append(escape(String.valueOf(v)))
                        .append('"'));
            }
            sb.append('>');
            m.forEach((k, v) -> {
                if ("#text".equals(k)) {
                    sb.append(text(v));
                } else if (!"#attributes".equals(k)) {
                    element(sb, String.valueOf(k), v);
                }
            });
        } else if (value == null) {
            sb.append("/>");
            return;
        } else {
            sb.append('>').append(text(value));
        }
        sb.append("</").append(name).append('>');
    }

    private static String text(Object v) {
        return v == null ? "" : escape(String.valueOf(v));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("\r", "&#13;")
                .replace("\n", "&#10;")
                .replace("\t", "&#9;");
    }

    /** Scalars as text (XML carries no types), recursively. */
    private static Object loose(Object v) {
        if (v instanceof List<?> l) {
            return l.stream().map(WindowsXmlTest::loose).toList();
        }
        return v == null ? "" : String.valueOf(v);
    }

    private static Map<String, Object> loose(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, loose(v)));
        return out;
    }

    @Test
    @SuppressWarnings("unchecked")
    void regressionEventsAsXmlNormaliseLikeTheirJson() throws IOException {
        Path root = Corpus.require("sigma/regression_data");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        ObjectMapper mapper = new ObjectMapper();
        StringBuilder all = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Events>\n");
        List<Event> expected = new ArrayList<>();
        for (Path file : files) {
            Object tree = mapper.readValue(file.toFile(), Object.class);
            if (!(tree instanceof Map<?, ?> m && m.get("Event") instanceof Map<?, ?> event)) {
                continue;
            }
            expected.add(JsonEventNormalizer.normalize((Map<String, Object>) m, "j", 1, TenantId.DEFAULT));
            all.append(toXml((Map<String, Object>) event)).append('\n');
        }
        all.append("</Events>\n");
        assertThat(expected).hasSizeGreaterThan(150);
        Path xml = tmp.resolve("events.xml");
        Files.writeString(xml, all, StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        ReadSummary s = EventReaders.read(xml, ReadOptions.DEFAULT, events::add, problems);
        assertThat(s.format()).isEqualTo(EventFormat.TEXT);
        assertThat(problems.problems()).isEmpty();
        assertThat(events).hasSameSizeAs(expected);
        for (int i = 0; i < events.size(); i++) {
            Event x = events.get(i);
            Event j = expected.get(i);
            assertThat(loose(x.fields())).as("event %d", i).isEqualTo(loose(j.fields()));
            assertThat(x.logSource()).isEqualTo(j.logSource());
            assertThat(x.timestamp()).isEqualTo(j.timestamp());
            assertThat(x.fields().get("EventID")).isInstanceOf(Long.class);
        }
    }

    @Test
    void xxeIsInert() throws IOException {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String payload = "<?xml version=\"1.0\"?><!DOCTYPE Event [<!ENTITY xxe SYSTEM \"" + secret.toUri()
                + "\">]><Event xmlns=\"" + NS + "\"><System><EventID>1</EventID><Channel>Security</Channel></System>"
                + "<EventData><Data Name=\"x\">&xxe;</Data></EventData></Event>";
        assertThatThrownBy(() -> WindowsXmlParser.parse(WindowsXmlParser.secureFactory(), payload))
                .isInstanceOf(XMLStreamException.class);
        Path f = tmp.resolve("xxe.xml");
        Files.writeString(f, payload + "\n");
        List<Event> events = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(f, ReadOptions.DEFAULT, events::add, problems);
        assertThat(events).allSatisfy(e -> assertThat(e.toString()).doesNotContain("TOP-SECRET"));
        assertThat(events).isEmpty();
        assertThat(problems.problems()).isNotEmpty();
        assertThat(problems.problems().toString()).doesNotContain("TOP-SECRET");
    }

    @Test
    void multiLineTruncatedAndGarbage() throws IOException {
        String ev = "<Event xmlns=\"" + NS
                + "\">\n  <System>\n    <Provider Name=\"Microsoft-Windows-Security-Auditing\"/>\n"
                + "    <EventID>4688</EventID>\n    <TimeCreated SystemTime=\"2024-01-02T03:04:05.123Z\"/>\n"
                + "    <EventRecordID>42</EventRecordID>\n    <Channel>Security</Channel>\n    <Computer>pc</Computer>\n"
                + "  </System>\n  <EventData>\n    <Data Name=\"NewProcessName\">C:\\Windows\\cmd.exe</Data>\n"
                + "    <Data Name=\"CommandLine\">cmd /c whoami &amp; exit</Data>\n  </EventData>\n</Event>";
        String text = "<Events>\n" + ev + ev.replace("\n", "") + "\n"
                + "<Event xmlns=\"" + NS + "\"><System><EventID>1</EventID>\n" // truncated: a new event starts
                + "\u0000\u0001\uFFFD garbage\n"
                + ev + "\n</Events>\n"
                + "<Event><System><EventID>2</EventID>"; // truncated at end of input
        Path f = tmp.resolve("multi.xml");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        List<Event> events = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(f, ReadOptions.DEFAULT, events::add, problems);
        assertThat(events).hasSize(3);
        assertThat(events.get(0).fields())
                .containsEntry("EventID", 4688L)
                .containsEntry("CommandLine", "cmd /c whoami & exit")
                .containsEntry("Channel", "Security")
                .containsEntry("Provider_Name", "Microsoft-Windows-Security-Auditing");
        assertThat(events.get(0).timestamp()).hasToString("2024-01-02T03:04:05.123Z");
        assertThat(events.get(0).logSource().categories()).contains("process_creation");
        assertThat(problems.problems()).as(problems.problems().toString()).hasSize(2);
        assertThat(problems.problems().get(0).location()).isEqualTo(16); // the garbage line was inside it
        assertThat(problems.problems().get(1).location()).isEqualTo(33);
        assertThat(problems.problems().toString()).contains("truncated");
    }
}
