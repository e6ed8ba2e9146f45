package dev.vigil.intel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IntelMatcherTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final TenantId ACME = TenantId.of("acme");

    private final IndicatorIndex index = IndicatorIndex.builder()
            .add(IndicatorIndexTest.indicator(IndicatorType.IPV4, "203.0.113.9").build())
            .add(IndicatorIndexTest.indicator(IndicatorType.CIDR, "198.51.100.0/24")
                    .build())
            .add(IndicatorIndexTest.indicator(IndicatorType.DOMAIN, "evil.example")
                    .build())
            .add(IndicatorIndexTest.indicator(IndicatorType.URL, "http://drop.example/payload.bin")
                    .build())
            .add(IndicatorIndexTest.indicator(
                            IndicatorType.SHA256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                    .build())
            .add(IndicatorIndexTest.indicator(IndicatorType.MD5, "d41d8cd98f00b204e9800998ecf8427e")
                    .build())
            .add(IndicatorIndexTest.indicator(IndicatorType.EMAIL, "ceo@fraud.example")
                    .build())
            .add(IndicatorIndexTest.indicator(IndicatorType.FILE_NAME, "mimikatz.exe")
                    .build())
            .add(IndicatorIndexTest.indicator(IndicatorType.DOMAIN, "acme-internal.example")
                    .tenant(ACME)
                    .build())
            .build();
    private final IntelMatcher matcher = new IntelMatcher(EventObservables.defaults(), Clock.fixed(T, ZoneOffset.UTC));

    private static List<String> hits(List<IndicatorMatch> matches) {
        return matches.stream()
                .map(m -> m.field() + "=" + m.value() + " -> " + m.indicator().value())
                .toList();
    }

    @Test
    void sysmonFieldsMeetAddressesHashesAndFileNames() {
        Event e = Event.builder()
                .timestamp(T)
                .field("EventID", 1L)
                .field("Image", "C:\\Tools\\MIMIKATZ.EXE")
                .field(
                        "Hashes",
                        "SHA1=DA39A3EE5E6B4B0D3255BFEF95601890AFD80709,MD5=D41D8CD98F00B204E9800998ECF8427E,"
                                + "SHA256=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855,IMPHASH=D41D8CD98F00B204E9800998ECF8427E")
                .field("DestinationIp", "198.51.100.77")
                .field("DestinationHostname", "cdn.evil.example")
                .build();
        assertThat(hits(matcher.match(e, index)))
                .containsExactlyInAnyOrder(
                        "Image=C:\\Tools\\MIMIKATZ.EXE -> mimikatz.exe",
                        "Hashes=D41D8CD98F00B204E9800998ECF8427E -> d41d8cd98f00b204e9800998ecf8427e",
                        "Hashes=E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855 -> "
                                + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                        "DestinationIp=198.51.100.77 -> 198.51.100.0/24",
                        "DestinationHostname=cdn.evil.example -> evil.example");
    }

    @Test
    void ecsFieldsFlatOrNestedInTheOriginal() {
        Event flat = Event.builder()
                .timestamp(T)
                .field("source.ip", "10.0.0.5")
                .field("destination.ip", "203.0.113.9")
                .field("url.full", "HTTP://Drop.Example:80/payload.bin")
                .field("email.from.address", List.of("someone@ok.example", "ceo@FRAUD.example"))
                .build();
        assertThat(hits(matcher.match(flat, index)))
                .containsExactlyInAnyOrder(
                        "destination.ip=203.0.113.9 -> 203.0.113.9",
                        "url.full=HTTP://Drop.Example:80/payload.bin -> http://drop.example/payload.bin",
                        "email.from.address=ceo@FRAUD.example -> ceo@fraud.example");
        Event nested = Event.builder()
                .timestamp(T)
                .original(Map.of(
                        "dns", Map.of("question", Map.of("name", "www.evil.example")),
                        "process", Map.of("hash", Map.of("md5", "d41d8cd98f00b204e9800998ecf8427e"))))
                .build();
        assertThat(hits(matcher.match(nested, index)))
                .containsExactlyInAnyOrder(
                        "dns.question.name=www.evil.example -> evil.example",
                        "process.hash.md5=d41d8cd98f00b204e9800998ecf8427e -> d41d8cd98f00b204e9800998ecf8427e");
    }

    @Test
    void proxyAndDnsAnswersMeetTheirHostsAndAddresses() {
        Event proxy = Event.builder()
                .timestamp(T)
                .field("c-uri", "https://login.evil.example/x")
                .field("cs-host", "login.evil.example")
                .field("QueryResults", "type:  5 cname.other.example;::ffff:203.0.113.9;")
                .build();
        assertThat(hits(matcher.match(proxy, index)))
                .containsExactlyInAnyOrder(
                        "c-uri=login.evil.example -> evil.example",
                        "cs-host=login.evil.example -> evil.example",
                        "QueryResults=::ffff:203.0.113.9 -> 203.0.113.9");
    }

    @Test
    void tenantScopeAndEventTimeApply() {
        Event acme = Event.builder()
                .tenant(ACME)
                .timestamp(T)
                .field("QueryName", "acme-internal.example")
                .build();
        Event other = Event.builder()
                .tenant(TenantId.of("other"))
                .timestamp(T)
                .field("QueryName", "acme-internal.example")
                .build();
        assertThat(matcher.match(acme, index)).hasSize(1);
        assertThat(matcher.match(other, index)).isEmpty();

        IndicatorIndex expiring = IndicatorIndex.builder()
                .add(IndicatorIndexTest.indicator(IndicatorType.IPV4, "192.0.2.1")
                        .validUntil(T)
                        .build())
                .build();
        Event before = Event.builder()
                .timestamp(T.minusSeconds(1))
                .field("SourceIp", "192.0.2.1")
                .build();
        Event after =
                Event.builder().timestamp(T).field("SourceIp", "192.0.2.1").build();
        Event undated = Event.builder().field("SourceIp", "192.0.2.1").build();
        assertThat(matcher.match(before, expiring)).hasSize(1);
        assertThat(matcher.match(after, expiring)).isEmpty();
        // Without a time the clock decides: fixed at T, when the indicator has expired.
        assertThat(matcher.match(undated, expiring)).isEmpty();
        assertThat(matcher.match(undated, expiring, T.minusSeconds(60))).hasSize(1);
    }

    @Test
    void anEventWithoutObservablesMeetsNothingAndSharesTheEmptyList() {
        Event e = Event.builder()
                .timestamp(T)
                .field("CommandLine", "whoami")
                .field("SourceIp", "-")
                .build();
        assertThat(matcher.match(e, index)).isSameAs(List.of());
    }
}
