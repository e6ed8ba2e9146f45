package dev.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded randomized round trips (200 iterations each): write, read, and the fields come back; a second write of the
 * read event reads back to the same fields (the writers are inverses of the reader).
 */
class WriterRoundTripTest {
    private static final int ITERATIONS = 200;
    private static final String WILD = "ab z09|=\\]\"[^~\t\n\r\u00e9\u4e2d\u00a6";

    @Test
    void rfc5424() {
        Random r = new Random(5424);
        SyslogWriter w = SyslogWriter.rfc5424().octetCounting();
        for (int i = 0; i < ITERATIONS; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            long pri = r.nextInt(192);
            f.put("log.syslog.priority", pri);
            String host = token(r, 1 + r.nextInt(20));
            String app = token(r, 1 + r.nextInt(10));
            String procid = r.nextBoolean() ? String.valueOf(r.nextInt(100000)) : token(r, 5);
            String msgid = token(r, 1 + r.nextInt(8));
            f.put("host.name", host);
            f.put("log.syslog.appname", app);
            f.put("log.syslog.procid", procid);
            f.put("log.syslog.msgid", msgid);
            int sd = r.nextInt(3);
            for (int k = 0; k < sd; k++) {
                f.put("sd.id" + k + "@" + r.nextInt(99999) + ".p" + r.nextInt(5), wild(r, r.nextInt(12)));
            }
            String message = wild(r, r.nextInt(40)) + (r.nextInt(4) == 0 ? "\u4e2d\ud83d\ude00" : "");
            f.put("message", message);
            Instant ts = Instant.ofEpochSecond(946684800L + r.nextInt(1_000_000_000), r.nextInt(1_000_000) * 1000L);
            Event in = Event.builder().fields(f).timestamp(ts).build();
            String rec = w.write(in);
            Event out = SyslogTestSupport.one(rec.split("\n", -1));
            assertThat(out.timestamp()).as(rec).isEqualTo(ts);
            assertThat(out.fields())
                    .as(rec)
                    .containsEntry("log.syslog.priority", pri)
                    .containsEntry("host.name", host)
                    .containsEntry("log.syslog.appname", app)
                    .containsEntry("log.syslog.procid", procid)
                    .containsEntry("log.syslog.msgid", msgid)
                    .containsEntry("message", message);
            f.forEach((k, v) -> {
                if (k.startsWith("sd.")) {
                    assertThat(out.fields()).as(rec).containsEntry(k, v);
                }
            });
            assertThat(SyslogTestSupport.one(w.write(out).split("\n", -1)).fields())
                    .isEqualTo(out.fields());
        }
    }

    @Test
    void rfc3164() {
        Random r = new Random(3164);
        SyslogWriter w = SyslogWriter.rfc3164().octetCounting();
        for (int i = 0; i < ITERATIONS; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            long pri = r.nextInt(192);
            f.put("log.syslog.priority", pri);
            String host = token(r, 1 + r.nextInt(20)).replace(':', 'c').replace(']', 'b');
            String app = "p" + token(r, r.nextInt(10)).replaceAll("[\\[\\]:]", "x");
            long pid = r.nextInt(100000);
            f.put("host.name", host);
            f.put("process.name", app);
            f.put("process.pid", pid);
            String message = wild(r, r.nextInt(40));
            f.put("message", message);
            Instant ts = Instant.ofEpochSecond(946684800L + r.nextInt(700_000_000));
            String rec = w.write(Event.builder().fields(f).timestamp(ts).build());
            int year = java.time.LocalDateTime.ofInstant(ts, java.time.ZoneOffset.UTC)
                    .getYear();
            SyslogTestSupport s = SyslogTestSupport.parse(year, rec.split("\n", -1));
            assertThat(s.problems).as(rec).isEmpty();
            Event out = s.events.get(0);
            assertThat(out.timestamp()).as(rec).isEqualTo(ts);
            assertThat(out.fields())
                    .as(rec)
                    .containsEntry("host.name", host)
                    .containsEntry("program", app)
                    .containsEntry("process.pid", pid)
                    .containsEntry("message", message);
            SyslogTestSupport again = SyslogTestSupport.parse(year, w.write(out).split("\n", -1));
            assertThat(again.events.get(0).fields()).isEqualTo(out.fields());
        }
    }

    @Test
    void cef() {
        Random r = new Random(0xCEF);
        CefWriter w = new CefWriter();
        for (int i = 0; i < ITERATIONS; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            String vendor = "v" + wild(r, r.nextInt(10)).replace('\n', ' ').replace('\r', ' ');
            f.put("deviceVendor", vendor);
            f.put("deviceProduct", wild(r, r.nextInt(10)).replace('\n', ' ').replace('\r', ' '));
            f.put("deviceVersion", "1." + r.nextInt(9));
            f.put("signatureId", String.valueOf(r.nextInt(1000)));
            f.put("name", "n" + wild(r, r.nextInt(10)).replace('\n', ' ').replace('\r', ' '));
            f.put("severity", String.valueOf(r.nextInt(11)));
            Map<String, String> ext = new LinkedHashMap<>();
            int n = r.nextInt(6);
            for (int k = 0; k < n; k++) {
                ext.put("k" + k + token(r, 3).replaceAll("[^A-Za-z0-9]", ""), wild(r, r.nextInt(20)));
            }
            if (r.nextBoolean()) {
                ext.put("src", "10.0." + r.nextInt(256) + "." + r.nextInt(256));
                ext.put("spt", String.valueOf(r.nextInt(65536)));
            }
            f.putAll(ext);
            String rec = w.write(Event.builder().fields(f).build());
            Event out = SyslogTestSupport.one(rec);
            f.forEach((k, v) -> assertThat(out.fields()).as(rec).containsEntry(k, v));
            assertThat(out.logSource().product()).isEqualTo(vendor.toLowerCase(java.util.Locale.ROOT));
            assertThat(SyslogTestSupport.one(w.write(out)).fields()).as(rec).isEqualTo(out.fields());
        }
    }

    @Test
    void leef() {
        Random r = new Random(0x1EEF);
        LeefWriter w = new LeefWriter();
        for (int i = 0; i < ITERATIONS; i++) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("deviceVendor", "v" + token(r, 6).replace('|', '!')); // | becomes ¦ in a LEEF header
            f.put("deviceProduct", wild(r, r.nextInt(10)).replaceAll("[|\n\r]", " "));
            f.put("deviceVersion", "2." + r.nextInt(9));
            f.put("eventId", "e" + r.nextInt(1000));
            int n = r.nextInt(6);
            for (int k = 0; k < n; k++) {
                // LEEF cannot hold line breaks: the writer makes them spaces
                f.put(
                        "k" + k,
                        wild(r, r.nextInt(20))
                                .replace("\r\n", " ")
                                .replace('\n', ' ')
                                .replace('\r', ' '));
            }
            if (r.nextBoolean()) {
                f.put("usrName", wild(r, 5).replaceAll("[\n\r]", " "));
            }
            String rec = w.write(Event.builder().fields(f).build());
            Event out = SyslogTestSupport.one(rec);
            f.forEach((k, v) -> assertThat(out.fields()).as(rec).containsEntry(k, v));
            assertThat(SyslogTestSupport.one(w.write(out)).fields()).as(rec).isEqualTo(out.fields());
        }
    }

    /** Printable ASCII without space. */
    private static String token(Random r, int n) {
        StringBuilder b = new StringBuilder();
        while (b.length() < n) {
            char c = (char) (33 + r.nextInt(94));
            if (b.isEmpty() && c == '-') {
                continue;
            }
            b.append(c);
        }
        return b.toString();
    }

    private static String wild(Random r, int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(WILD.charAt(r.nextInt(WILD.length())));
        }
        return b.toString();
    }
}
