package dev.vigil.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryMatcherTest {
    private final QueryMatcher matcher = new QueryMatcher();

    private static Event event(Object... namesAndValues) {
        Event.Builder b = Event.builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.field((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    private boolean matches(String query, Event event) {
        return matcher.matches(QueryParser.parse(query), event);
    }

    @Test
    void termsCompareWholeValuesCaseInsensitively() {
        Event e = event("user.name", "Alice", "host", "WEB-01");
        assertThat(matches("user.name:alice", e)).isTrue();
        assertThat(matches("user.name:ALICE", e)).isTrue();
        assertThat(matches("user.name:alic", e)).isFalse();
        assertThat(matches("host:web-01", e)).isTrue();
        assertThat(matches("user.name:\"alice\"", e)).isTrue();
        assertThat(matches("missing:alice", e)).isFalse();
    }

    @Test
    void numbersCompareAsNumbersWhenBothSidesAreNumbers() {
        Event e = event("EventID", 4625L, "ratio", 1.0d, "code", "007", "text", "4625x");
        assertThat(matches("EventID:4625", e)).isTrue();
        assertThat(matches("EventID:\"4625.0\"", e)).isTrue();
        assertThat(matches("EventID:4624", e)).isFalse();
        assertThat(matches("ratio:1", e)).isTrue();
        assertThat(matches("code:7", e)).isTrue();
        assertThat(matches("text:4625", e)).isFalse();
        assertThat(matches("text:4625X", e)).isTrue();
        Event stringId = event("EventID", "4625");
        assertThat(matches("EventID:4625.00", stringId)).isTrue();
    }

    @Test
    void listValuedFieldsMatchWhenAnElementDoes() {
        Event e = event("tags", List.of("ssh", "brute-force"), "ports", Arrays.asList(22L, null, 443L));
        assertThat(matches("tags:SSH", e)).isTrue();
        assertThat(matches("tags:brute*", e)).isTrue();
        assertThat(matches("tags:http", e)).isFalse();
        assertThat(matches("ports:443", e)).isTrue();
        assertThat(matches("ports:[400 TO 500]", e)).isTrue();
        assertThat(matches("ports:>500", e)).isFalse();
    }

    @Test
    void bareTermsSearchTheMessageFirst() {
        Event e = event("message", "Failed password for ROOT from 10.0.0.5", "user", "alice");
        assertThat(matches("root", e)).isTrue();
        assertThat(matches("\"password for root\"", e)).isTrue();
        assertThat(matches("alice", e)).isFalse();
        assertThat(matches("fail*root", e)).isTrue();
        assertThat(matches("pass?ord", e)).isTrue();
        assertThat(matches("pass??ord", e)).isFalse();
    }

    @Test
    void bareTermsSearchAStringOriginalWhenThereIsNoMessage() {
        Event e = Event.builder()
                .original("sshd[42]: Accepted publickey for bob")
                .field("user", "carol")
                .build();
        assertThat(matches("publickey", e)).isTrue();
        assertThat(matches("carol", e)).isFalse();
    }

    @Test
    void bareTermsSearchDerivedFieldsTooAsTheStoreKeepsThem() {
        Event e = Event.builder()
                .field("Image", "C:\\Windows\\System32\\cmd.exe")
                .derivedFields(dev.vigil.core.FieldDeriver.of(Map.of("event.action", "Process Create")))
                .build();
        assertThat(matches("\"process create\"", e)).isTrue();
        assertThat(matches("event.action:\"Process Create\"", e)).isTrue();
    }

    @Test
    void bareTermsSearchAllFieldValuesOtherwise() {
        Map<String, Object> original = new LinkedHashMap<>();
        original.put("nested", Map.of("deep", "hidden"));
        Event e = Event.builder()
                .original(original)
                .field("CommandLine", "powershell -enc AAAA")
                .field("EventID", 4104L)
                .field("tags", List.of("x", "y"))
                .build();
        assertThat(matches("\"-enc aaaa 4104 x y\"", e)).isTrue();
        assertThat(matches("hidden", e)).isFalse();
        assertThat(matches("\"x y\"", e)).isTrue();
    }

    @Test
    void wildcardsMatchTheWholeValue() {
        Event e = event("file", "C:\\Windows\\System32\\cmd.exe", "star", "a*b");
        assertThat(matches("file:*\\\\cmd.exe", e)).isTrue();
        assertThat(matches("file:*\\\\CMD.EXE", e)).isTrue();
        assertThat(matches("file:*cmd", e)).isFalse();
        assertThat(matches("file:c?\\\\*", e)).isTrue();
        assertThat(matches("star:a\\**", e)).isTrue();
        assertThat(matches("star:a\\*c*", e)).isFalse();
        assertThat(matches("star:?\\*?", e)).isTrue();
    }

    @Test
    void wildcardsDoNotBacktrackExponentially() {
        // A pattern that makes a backtracking matcher try ~2^30 splits; the segment search answers at once.
        String text = "a".repeat(5000);
        String pattern = "*a".repeat(30) + "*b*";
        Event e = event("f", text);
        assertThat(matcher.matches(new Query.Wildcard("f", pattern), e)).isFalse();
        assertThat(matcher.matches(new Query.Wildcard("f", "*a".repeat(30) + "*"), e))
                .isTrue();
    }

    @Test
    void rangesAreNumericWhenTheEndsAndTheValueAreNumbers() {
        Event e = event("bytes", 1500L, "size", "900", "name", "mallory");
        assertThat(matches("bytes:[1000 TO 2000]", e)).isTrue();
        assertThat(matches("bytes:{1500 TO 2000]", e)).isFalse();
        assertThat(matches("bytes:[1500 TO 2000]", e)).isTrue();
        assertThat(matches("bytes:[1000 TO 1500}", e)).isFalse();
        assertThat(matches("bytes>=1500", e)).isTrue();
        assertThat(matches("bytes>1500", e)).isFalse();
        assertThat(matches("size<1000", e)).isTrue(); // as text "900" > "1000"; as numbers 900 < 1000
        assertThat(matches("bytes:[* TO *]", e)).isTrue();
        assertThat(matches("name:[l TO n]", e)).isTrue();
        assertThat(matches("name:[A TO L]", e)).isFalse();
        assertThat(matches("name:[M TO N]", e)).isTrue();
    }

    @Test
    void rangesCompareTimesAsInstantsAndTimestampIsTheEventTime() {
        Event e = Event.builder()
                .timestamp(Instant.parse("2024-03-01T10:00:00Z"))
                .field("seen", "2024-03-01T12:00:00+02:00")
                .build();
        assertThat(matches("@timestamp:[2024-03-01 TO 2024-03-02]", e)).isTrue();
        assertThat(matches("@timestamp>=\"2024-03-01T10:00:00Z\"", e)).isTrue();
        assertThat(matches("@timestamp>\"2024-03-01T11:00:00+02:00\"", e)).isTrue();
        assertThat(matches("@timestamp<\"2024-03-01T09:59:59\"", e)).isFalse();
        assertThat(matches("@timestamp:\"2024-03-01T11:00:00+01:00\"", e)).isTrue();
        assertThat(matches("seen:[\"2024-03-01 09:59:59\" TO \"2024-03-01 10:00:00\"]", e))
                .isTrue();
        assertThat(matches("_exists_:@timestamp", e)).isTrue();
        assertThat(matches("_exists_:@timestamp", event("x", "y"))).isFalse();
    }

    @Test
    void cidrBlocksContainAddresses() {
        Event e = event("source.ip", "10.1.2.3", "v6", "2001:db8::1", "list", List.of("8.8.8.8", "192.168.1.7"));
        assertThat(matches("source.ip:10.0.0.0/8", e)).isTrue();
        assertThat(matches("source.ip:192.168.0.0/16", e)).isFalse();
        assertThat(matches("source.ip:\"10.1.2.0/24\"", e)).isTrue();
        assertThat(matches("v6:\"2001:db8::/32\"", e)).isTrue();
        assertThat(matches("v6:2001\\:db9\\:\\:/32", e)).isFalse();
        assertThat(matches("v6:10.0.0.0/8", e)).isFalse();
        assertThat(matches("list:192.168.0.0/16", e)).isTrue();
        assertThat(matches("source.ip:10.0.0.0/8", event("source.ip", "not an address")))
                .isFalse();
        assertThat(matches("source.ip:0.0.0.0/8", event("source.ip", "1"))).isFalse(); // "1" is not 0.0.0.1
    }

    @Test
    void existsNeedsAPresentNonNullValue() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("present", "x");
        fields.put("nulled", null);
        fields.put("empty", new ArrayList<>());
        fields.put("nulls", Arrays.asList(null, null));
        fields.put("blank", "");
        Event e = Event.builder().fields(fields).build();
        assertThat(matches("present:*", e)).isTrue();
        assertThat(matches("blank:*", e)).isTrue();
        assertThat(matches("_exists_:nulled", e)).isFalse();
        assertThat(matches("empty:*", e)).isFalse();
        assertThat(matches("nulls:*", e)).isFalse();
        assertThat(matches("absent:*", e)).isFalse();
    }

    @Test
    void dottedNamesResolveThroughTheOriginalRecord() {
        Event e = Event.builder()
                .original(Map.of("process", Map.of("command_line", "whoami /all")))
                .build();
        assertThat(matches("process.command_line:\"WHOAMI /all\"", e)).isTrue();
        assertThat(matches("process.command_line:whoami*", e)).isTrue();
        assertThat(matches("_exists_:process.command_line", e)).isTrue();
        Event nested = Event.builder()
                .original(Map.of("process", Map.of("parent", Map.of("pid", 4L))))
                .build();
        // A dotted name that stops at an object: present, but no value to compare.
        assertThat(matches("process.parent:*", nested)).isTrue();
        assertThat(matches("process.parent:4", nested)).isFalse();
        assertThat(matches("process.parent.pid:4", nested)).isTrue();
    }

    @Test
    void booleanOperators() {
        Event e = event("a", "1", "b", "2");
        assertThat(matches("a:1 AND b:2", e)).isTrue();
        assertThat(matches("a:1 AND b:3", e)).isFalse();
        assertThat(matches("a:9 OR b:2", e)).isTrue();
        assertThat(matches("NOT a:1", e)).isFalse();
        assertThat(matches("a:1 -b:3", e)).isTrue();
        assertThat(matches("*", e)).isTrue();
        assertThat(matches("a:(9 OR 1) AND NOT b:(3 OR 4)", e)).isTrue();
    }
}
