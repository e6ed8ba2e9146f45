package dev.vigil.formats.generic;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.TenantId;
import dev.vigil.formats.text.TextContext;
import dev.vigil.formats.text.TextFormats;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TimestampedLineFormatTest {
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    /** Each layout: the line, the instant (lines without a zone in UTC, without a year in 2026) and the message. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2005-06-21T16:47:48.123+02:00 sshd failed | 2005-06-21T14:47:48.123Z | sshd failed",
                "2005-06-21T16:47:48Z x | 2005-06-21T16:47:48Z | x",
                "2005-06-21 16:47:48,388 fail2ban.actions: Ban 1.2.3.4 | 2005-06-21T16:47:48.388Z | fail2ban.actions: Ban 1.2.3.4",
                "2019-11-26 01:04:49.008 +08:00 [WRN] Failed | 2019-11-25T17:04:49.008Z | [WRN] Failed",
                "2016-11-20T00:04:00.111+0100 [conn1] end | 2016-11-19T23:04:00.111Z | [conn1] end",
                "2018/09/14 19:03:05 [error] x | 2018-09-14T19:03:05Z | [error] x",
                "2011.11.21 14:29:16 LOG3 x | 2011-11-21T14:29:16Z | LOG3 x",
                "2014:07:02-00:17:45: '3.2.1.4' failed | 2014-07-02T00:17:45Z | : '3.2.1.4' failed",
                "<W>2015-11-29 16:38:01.818 1 => x | 2015-11-29T16:38:01.818Z | <W> 1 => x",
                "1.2.3.4 - - [05/Mar/2007:14:39:21 +0100] \"GET /\" | 2007-03-05T13:39:21Z | 1.2.3.4 - - \"GET /\"",
                "[17/Jun/2011 17:00:45] Attempt | 2011-06-17T17:00:45Z | Attempt",
                "1.2.3.4 - - [02/sept./2015:00:11:31 +0200] x | 2015-09-01T22:11:31Z | 1.2.3.4 - - x",
                "[22-Jan-2013 22:28:21 +0200]: FAILED login | 2013-01-22T20:28:21Z | : FAILED login",
                "11-Aug-2013 03:36:11.372 error: client | 2013-08-11T03:36:11.372Z | error: client",
                "[Thu Jul 11 01:21:41 2013] [error] x | 2013-07-11T01:21:41Z | [error] x",
                "[Thu Sep 25 09:27:18.813902 2014] [cgi:error] | 2014-09-25T09:27:18.813902Z | [cgi:error]",
                "Wed Apr 14 08:54:22 2021 - NOTEXIST | 2021-04-14T08:54:22Z | - NOTEXIST",
                "Jun 21 16:47:48 host sshd[1]: x | 2026-06-21T16:47:48Z | host sshd[1]: x",
                "foo [Jun 21 16:47:48] bar | 2026-06-21T16:47:48Z | foo bar",
                "[PDT Apr 16 21:05:29] error | 2026-04-17T04:05:29Z | error",
                "Oct 27 2015 12:35:40 host x | 2015-10-27T12:35:40Z | host x",
                "apr 15, 2013 8:34:08 PM org.slf4j | 2013-04-15T20:34:08Z | org.slf4j",
                "Apr-07-13 07:08:36 [SSL-out] x | 2013-04-07T07:08:36Z | [SSL-out] x",
                "10/06/2013 15:50:41 [LOGIN_ERROR] | 2013-10-06T15:50:41Z | [LOGIN_ERROR]",
                "L 01/01/2014 - 01:25:17: Bad Rcon | 2014-01-01T01:25:17Z | L : Bad Rcon",
                "06/27/14 17:51:19 Host | 2014-06-27T17:51:19Z | Host",
                "11-06-2013 02:09:40 +0300 PROXY | 2013-06-10T23:09:40Z | PROXY",
                "03.07.2005 23:07:20 SMTP | 2005-07-03T23:07:20Z | SMTP",
                "08-03 07:56:53.026292 [WARN] x | 2026-08-03T07:56:53.026292Z | [WARN] x",
                "[20220407-12:11:06] [INFO ] x | 2022-04-07T12:11:06Z | [INFO ] x",
                "130324  0:04:00 [Warning] x | 2013-03-24T00:04:00Z | [Warning] x",
                "20050621164748 x | 2005-06-21T16:47:48Z | x",
                "@400000004c91b044077a9e94 imap-login: x | 2010-09-16T05:51:00.125476500Z | imap-login: x",
                "1386543323.250      4 91.188.124.227 | 2013-12-08T22:55:23.250Z | 4 91.188.124.227",
                "[1387288694] nsd[7745]: info | 2013-12-17T13:58:14Z | nsd[7745]: info",
                "type=USER_ERR msg=audit(1373330717.000:4070): x | 2013-07-09T00:45:17Z | type=USER_ERR msg=audit( :4070): x",
            })
    void layouts(String line, String instant, String message) {
        Event e = parse(List.of(line)).get(0);
        assertThat(e.timestamp()).isEqualTo(Instant.parse(instant));
        assertThat(e.fields()).containsEntry("message", message);
    }

    @Test
    void everyLayoutIsTested() {
        assertThat(Timestamps.layoutNames()).hasSize(14);
    }

    @Test
    void zoneWrittenIsRecorded() {
        assertThat(parse(List.of("2020-10-19T17:44:33+0200 x")).get(0).fields())
                .containsEntry("event.timezone", "+02:00");
        assertThat(parse(List.of("2020-10-19 17:44:33 x")).get(0).fields()).doesNotContainKey("event.timezone");
    }

    @Test
    void invalidDatesAreNoTimestamps() {
        assertThat(Timestamps.find("2020-13-45 10:00:00 x", ZoneOffset.UTC, 0, NOW))
                .isNull();
        assertThat(Timestamps.find("no time here 12345", ZoneOffset.UTC, 0, NOW))
                .isNull();
    }

    @Test
    void addresses() {
        Event e = parse(List.of(
                        "2020-01-01 00:00:00 from ::ffff:192.0.2.3 to 2001:db8::1 via 10.0.0.1.50550 at 16:47:48"))
                .get(0);
        assertThat(e.fields()).containsEntry("source.ip", "192.0.2.3");
        assertThat(e.fields()).containsEntry("related.ip", List.of("192.0.2.3", "2001:db8::1", "10.0.0.1"));
        Event h = parse(List.of("2020-01-01 00:00:00 failed login from host.example.com port 22"))
                .get(0);
        assertThat(h.fields())
                .containsEntry("source.domain", "host.example.com")
                .doesNotContainKey("source.ip");
        assertThat(parse(List.of("2020-01-01 00:00:00 value 999.1.1.1")).get(0).fields())
                .doesNotContainKey("source.ip");
    }

    @Test
    void continuationLinesAndSessions() {
        List<Event> events = parse(List.of(
                "apr 15, 2013 8:34:08 PM org.slf4j.impl.JCLLoggerAdapter warn",
                "WARNING: Authentication attempt from 192.0.2.0 failed.",
                "# comment 2001-01-01 00:00:00",
                "srv sshd[26713]: Connection from 115.249.163.77 port 51353",
                "srv sshd[26713]: Disconnecting: Too many authentication failures [preauth]",
                "srv sshd[26714]: Disconnecting: Too many authentication failures [preauth]"));
        assertThat(events.get(1).timestamp()).isEqualTo(Instant.parse("2013-04-15T20:34:08Z"));
        assertThat(events.get(1).fields()).containsEntry("event.time_inherited", true);
        assertThat(events.get(2).timestamp()).isNull();
        assertThat(events.get(3).timestamp()).isEqualTo(Instant.parse("2013-04-15T20:34:08Z"));
        assertThat(events.get(4).fields())
                .containsEntry("source.ip", "115.249.163.77")
                .containsEntry("vigil.source_ip_inherited", true);
        assertThat(events.get(5).fields()).doesNotContainKey("source.ip");
    }

    @Test
    void detection() {
        TimestampedLineFormat f = new TimestampedLineFormat();
        assertThat(f.score(List.of("2013-01-04 17:03:46 login failed", "# c", "2013-01-04 17:03:47 x")))
                .isEqualTo(20);
        assertThat(f.score(List.of("hello world", "no dates here", "2013-01-04 17:03:47 x")))
                .isZero();
        assertThat(TextFormats.detect(List.of("[2018-10-27 01:40:55] [girst] failed", "[2018-10-27 01:40:56] x"))
                        .orElseThrow()
                        .name())
                .isEqualTo("timestamped");
        assertThat(TextFormats.detect(List.of("just some words", "more words"))
                        .orElseThrow()
                        .name())
                .isEqualTo("text");
        List<String> names = TextFormats.names();
        assertThat(names.get(names.size() - 2)).isEqualTo("timestamped");
    }

    private static List<Event> parse(List<String> lines) {
        var parser =
                new TimestampedLineFormat().newParser(new TextContext("t", TenantId.DEFAULT, ZoneOffset.UTC, 2026));
        List<Event> out = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        long n = 0;
        for (String l : lines) {
            parser.line(l, ++n, out::add, problems::add);
        }
        assertThat(problems).isEmpty();
        return out;
    }
}
