package dev.vigil.formats.generic;

import dev.vigil.core.Event;
import dev.vigil.core.LogSource;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.SourceRef;
import dev.vigil.formats.text.SessionAddresses;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormat;
import dev.vigil.formats.text.TextParser;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The last resort but one: application logs that follow no known grammar but whose lines carry a timestamp near their
 * start (what fail2ban reads with its date detector). Each non-blank line is an event: {@code @timestamp} from the first
 * timestamp in the line ({@link Timestamps}: the layouts of fail2ban's date detector), {@code message} the rest of the
 * line, {@code event.timezone} the offset when the line gives one, {@code source.ip} the first IPv4 or IPv6 address
 * and {@code related.ip} all of them ({@code ::ffff:a.b.c.d} as {@code a.b.c.d}), {@code source.domain} a host name
 * after {@code from}, {@code rhost=}, {@code host=} or {@code client} when the line has no address.
 *
 * <p>A line without a timestamp (a continuation, or the message line of Java's two-line logging) takes the time of the
 * latest line that had one, as fail2ban's multi-line filters do, and is marked {@code event.time_inherited: true}. A
 * line of a process ({@code sshd[1234]:}; with slapd's {@code conn=N} when given) that names no address takes the
 * address last seen for that process in the file ({@link SessionAddresses}), marked {@code vigil.source_ip_inherited}.
 * A line starting with {@code #} is a comment: an event with its {@code message} only, which takes no part in either.
 *
 * <p>Detection: 20 when at least half of the sample's lines that are not comments ({@code #}) have a timestamp starting
 * within their first 40 characters, so every grammar-specific format wins over it and plain text loses to it.
 */
public final class TimestampedLineFormat implements TextFormat {
    /** How far into a line a timestamp may start for the line to count as timestamped in detection. */
    static final int NEAR_START = 40;

    private static final Pattern IPV4 =
            Pattern.compile("(?<![\\w.])(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?!\\d|\\.\\d{1,3}\\.)");
    private static final Pattern IPV6_CANDIDATE =
            Pattern.compile("(?<![\\w:.])(?:(?:[0-9A-Fa-f]{0,4}:){2,6}\\d{1,3}(?:\\.\\d{1,3}){3}"
                    + "|[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?![\\w.]))");
    private static final Pattern PROCESS_TAG = Pattern.compile("(?<![\\w.-])([\\w./-]+\\[\\d+\\]):");
    private static final Pattern CONNECTION = Pattern.compile("\\bconn=\\d+");
    private static final Pattern HOST_AFTER_MARKER = Pattern.compile(
            "(?i:\\bfrom|\\brhost=|\\bhost=|\\bclient)[\\s:\\[(<'\"]*([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)");

    @Override
    public String name() {
        return "timestamped";
    }

    @Override
    public String description() {
        return "lines starting with a timestamp in any common layout (time, message, IP addresses)";
    }

    @Override
    public int score(List<String> sample) {
        int lines = 0;
        int timestamped = 0;
        Instant now = Instant.now();
        for (String line : sample) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            lines++;
            Timestamps.Found f = Timestamps.find(line, ZoneOffset.UTC, 0, now);
            if (f != null && f.start() <= NEAR_START) {
                timestamped++;
            }
        }
        return lines > 0 && timestamped * 2 >= lines ? 20 : 0;
    }

    @Override
    public TextParser newParser(TextContext context) {
        return new Parser(context);
    }

    private static final class Parser implements TextParser {
        private final TextContext context;
        private final Instant now = Instant.now();
        private Instant last;
        private final SessionAddresses sessions = new SessionAddresses();

        Parser(TextContext context) {
            this.context = context;
        }

        @Override
        public void line(String line, long lineNumber, Consumer<Event> out, ProblemSink problems) {
            if (line.isBlank()) {
                return;
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            if (line.startsWith("#")) {
                // A comment (W3C-style headers, annotations): an event of its own that neither gives a time to the
                // lines after it nor takes one, and carries no session address.
                fields.put("message", line.strip());
                out.accept(Event.builder()
                        .tenant(context.tenant())
                        .fields(fields)
                        .original(line)
                        .logSource(LogSource.UNKNOWN)
                        .source(new SourceRef(context.source(), lineNumber))
                        .build());
                return;
            }
            Timestamps.Found f = Timestamps.find(line, context.defaultZone(), context.defaultYear(), now);
            Instant time;
            String message;
            if (f != null) {
                time = f.instant();
                last = time;
                message = without(line, f.start(), f.end());
                if (f.writtenZone() != null) {
                    fields.put(
                            "event.timezone",
                            f.writtenZone().getId().equals("Z")
                                    ? "+00:00"
                                    : f.writtenZone().getId());
                }
            } else {
                time = last;
                message = line.strip();
                if (time != null) {
                    fields.put("event.time_inherited", true);
                }
            }
            fields.put("message", message);
            addresses(line, fields);
            carry(message, fields);
            out.accept(Event.builder()
                    .tenant(context.tenant())
                    .fields(fields)
                    .original(line)
                    .timestamp(time)
                    .logSource(LogSource.UNKNOWN)
                    .source(new SourceRef(context.source(), lineNumber))
                    .build());
        }

        /** Remembers or carries the address of the process tag ({@code sshd[1234]:}, with slapd's {@code conn=N}). */
        private void carry(String message, Map<String, Object> fields) {
            Matcher t = PROCESS_TAG.matcher(message);
            if (!t.find()) {
                return;
            }
            Matcher conn = CONNECTION.matcher(message);
            String key = t.group(1) + (conn.find() ? " " + conn.group() : "");
            if (fields.get("source.ip") instanceof String ip) {
                sessions.remember(key, ip);
            } else if (!fields.containsKey("source.domain")) {
                String carried = sessions.recall(key);
                if (carried != null) {
                    fields.put("source.ip", carried);
                    fields.put("related.ip", List.of(carried));
                    fields.put("vigil.source_ip_inherited", true);
                }
            }
        }
    }

    /** The line without the timestamp (and the brackets around it), stripped. */
    static String without(String line, int start, int end) {
        int s = start;
        int e = end;
        if (s > 0 && e < line.length() && line.charAt(s - 1) == '[' && line.charAt(e) == ']') {
            s--;
            e++;
        }
        String before = line.substring(0, s).strip();
        String after = line.substring(e).strip();
        String rest = before.isEmpty() ? after : after.isEmpty() ? before : before + " " + after;
        return rest.isEmpty() ? line.strip() : rest;
    }

    /** Puts {@code source.ip}, {@code related.ip} and (without an address) {@code source.domain} from the line. */
    static void addresses(String line, Map<String, Object> fields) {
        List<int[]> spans = new ArrayList<>();
        List<String> found = new ArrayList<>();
        Matcher v6 = IPV6_CANDIDATE.matcher(line);
        while (v6.find()) {
            String ip = ipv6(v6.group());
            if (ip != null) {
                spans.add(new int[] {v6.start(), v6.end(), found.size()});
                found.add(ip);
            }
        }
        Matcher v4 = IPV4.matcher(line);
        List<int[]> v4spans = new ArrayList<>();
        while (v4.find()) {
            if (inside(spans, v4.start())) {
                continue;
            }
            boolean valid = true;
            for (int g = 1; g <= 4; g++) {
                valid &= Integer.parseInt(v4.group(g)) <= 255;
            }
            if (valid) {
                v4spans.add(new int[] {v4.start(), v4.end()});
            }
        }
        // In the order of the line.
        List<Map.Entry<Integer, String>> ordered = new ArrayList<>();
        for (int[] s : spans) {
            ordered.add(Map.entry(s[0], found.get(s[2])));
        }
        for (int[] s : v4spans) {
            ordered.add(Map.entry(s[0], line.substring(s[0], s[1])));
        }
        ordered.sort(Map.Entry.comparingByKey());
        Set<String> ips = new LinkedHashSet<>();
        ordered.forEach(e -> ips.add(e.getValue()));
        if (!ips.isEmpty()) {
            fields.put("source.ip", ips.iterator().next());
            fields.put("related.ip", List.copyOf(ips));
            return;
        }
        Matcher h = HOST_AFTER_MARKER.matcher(line);
        if (h.find()) {
            fields.put("source.domain", h.group(1));
        }
    }

    private static boolean inside(List<int[]> spans, int at) {
        for (int[] s : spans) {
            if (at >= s[0] && at < s[1]) {
                return true;
            }
        }
        return false;
    }

    /** The IPv6 address written as {@code candidate} (a mapped IPv4 address as IPv4), or null when it is none. */
    static String ipv6(String candidate) {
        String c = candidate;
        String v4 = null;
        Matcher tail = Pattern.compile(":(\\d{1,3}(?:\\.\\d{1,3}){3})$").matcher(c);
        if (tail.find()) {
            v4 = tail.group(1);
            c = c.substring(0, tail.start() + 1) + "0:0";
        }
        int dbl = c.indexOf("::");
        if (dbl >= 0 && c.indexOf("::", dbl + 1) >= 0) {
            return null;
        }
        String[] groups = c.split(":", -1);
        int nonEmpty = 0;
        for (int i = 0; i < groups.length; i++) {
            String g = groups[i];
            if (g.isEmpty()) {
                boolean partOfDouble = dbl >= 0;
                if (!partOfDouble) {
                    return null;
                }
                continue;
            }
            if (g.length() > 4) {
                return null;
            }
            nonEmpty++;
        }
        if (dbl < 0 ? nonEmpty != 8 : nonEmpty > 7) {
            return null;
        }
        if (v4 != null) {
            String prefix =
                    candidate.substring(0, candidate.length() - v4.length()).toLowerCase(java.util.Locale.ROOT);
            if (prefix.equals("::ffff:") || prefix.equals("::")) {
                return v4;
            }
        }
        return candidate;
    }
}
