package dev.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SyslogParserTest {
    @Test
    void rfc5424WithStructuredData() {
        Event e = SyslogTestSupport.one("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog 1234 ID47"
                + " [exampleSDID@32473 iut=\"3\" eventSource=\"Appl\\\"ica\\\\tion\\]\" eventID=\"1011\"][ex@1 a=\"\"]"
                + " \uFEFFAn application event log entry");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2003-10-11T22:14:15.003Z"));
        assertThat(e.fields())
                .containsEntry("log.syslog.facility.code", 20L)
                .containsEntry("log.syslog.severity.code", 5L)
                .containsEntry("host.name", "mymachine.example.com")
                .containsEntry("log.syslog.appname", "evntslog")
                .containsEntry("process.pid", 1234L)
                .containsEntry("msgid", "ID47")
                .containsEntry("sd.exampleSDID@32473.iut", "3")
                .containsEntry("sd.exampleSDID@32473.eventSource", "Appl\"ica\\tion]")
                .containsEntry("sd.ex@1.a", "")
                .containsEntry("message", "An application event log entry")
                .containsEntry("@timestamp", "2003-10-11T22:14:15.003Z");
        assertThat(e.original()).isInstanceOf(String.class);
    }

    @Test
    void rfc5424NilValuesAndOffset() {
        Event e = SyslogTestSupport.one("<34>1 2003-10-11T22:14:15.003+02:00 - - - - -");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2003-10-11T20:14:15.003Z"));
        assertThat(e.fields()).containsEntry("message", "").doesNotContainKey("host.name");
    }

    @Test
    void rfc3164WithAndWithoutPri() {
        Event a = SyslogTestSupport.one("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
        assertThat(a.fields())
                .containsEntry("log.syslog.facility.code", 4L)
                .containsEntry("log.syslog.severity.code", 2L)
                .containsEntry("host.name", "mymachine")
                .containsEntry("program", "su")
                .containsEntry("message", "'su root' failed for lonvick on /dev/pts/8");
        // October 2026 is in the future of June 2026: the previous year
        assertThat(a.timestamp()).isEqualTo(Instant.parse("2025-10-11T22:14:15Z"));
        Event b = SyslogTestSupport.one("Jun  1 09:00:55 host sshd[42]: Server listening on 0.0.0.0 port 22.");
        assertThat(b.timestamp()).isEqualTo(Instant.parse("2026-06-01T09:00:55Z"));
        assertThat(b.fields()).containsEntry("pid", 42L).containsEntry("process.name", "sshd");
        assertThat(b.logSource().product()).isEqualTo("linux");
        assertThat(b.logSource().services()).contains("sshd", "auth", "syslog");
    }

    @Test
    void defaultYear() {
        SyslogTestSupport s = SyslogTestSupport.parse(2019, "Dec 31 23:59:59 h cron[1]: x");
        assertThat(s.events.get(0).timestamp()).isEqualTo(Instant.parse("2019-12-31T23:59:59Z"));
        assertThat(s.events.get(0).logSource().services()).contains("cron");
    }

    @Test
    void sshdMessages() {
        Event a = SyslogTestSupport.one(
                "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2");
        assertThat(a.fields())
                .containsEntry("event.category", "authentication")
                .containsEntry("event.outcome", "failure")
                .containsEntry("user.name", "webmaster")
                .containsEntry("source.ip", "173.234.31.186")
                .containsEntry("source.port", 38926L)
                .containsEntry("process.name", "sshd");
        Event b = SyslogTestSupport.one(
                "Dec 10 06:55:48 LabSZ sshd[24200]: Accepted publickey for fztu from 119.137.62.142 port 49116 ssh2");
        assertThat(b.fields()).containsEntry("event.outcome", "success").containsEntry("user.name", "fztu");
        Event c = SyslogTestSupport.one(
                "Dec 10 07:02:47 LabSZ sshd[24203]: Connection closed by 212.47.254.145 port 50150 [preauth]");
        assertThat(c.fields()).containsEntry("source.ip", "212.47.254.145").containsEntry("source.port", 50150L);
        Event d = SyslogTestSupport.one(
                "Jun 14 15:16:01 combo sshd(pam_unix)[19939]: authentication failure; logname= uid=0"
                        + " euid=0 tty=NODEVssh ruser= rhost=218.188.2.4  user=root");
        assertThat(d.fields())
                .containsEntry("event.outcome", "failure")
                .containsEntry("source.ip", "218.188.2.4")
                .containsEntry("user.name", "root");
        Event i =
                SyslogTestSupport.one("Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186");
        assertThat(i.fields()).containsEntry("user.name", "webmaster").containsEntry("event.outcome", "failure");
    }

    @Test
    void sudoAndSu() {
        Event s = SyslogTestSupport.one("Mar  1 10:00:00 web sudo:    alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ;"
                + " COMMAND=/usr/bin/cat /etc/shadow");
        assertThat(s.fields())
                .containsEntry("user.name", "alice")
                .containsEntry("user.effective.name", "root")
                .containsEntry("process.command_line", "/usr/bin/cat /etc/shadow")
                .containsEntry("event.category", "authentication")
                .containsEntry("event.outcome", "success");
        assertThat(s.logSource().services()).contains("sudo", "auth");
        Event f = SyslogTestSupport.one("Mar  1 10:00:00 web sudo:    bob : 3 incorrect password attempts ; TTY=pts/1 ;"
                + " PWD=/ ; USER=root ; COMMAND=/bin/sh");
        assertThat(f.fields()).containsEntry("event.outcome", "failure").containsEntry("user.name", "bob");
        Event u = SyslogTestSupport.one("Mar  1 10:00:00 web su[77]: FAILED su for root by mallory");
        assertThat(u.fields()).containsEntry("event.outcome", "failure").containsEntry("user.name", "mallory");
        assertThat(u.logSource().services()).contains("su", "auth");
    }

    @Test
    void octetCounting() {
        String msg = "<34>1 2003-10-11T22:14:15.003Z h app - - - caf\u00e9";
        int len = msg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        SyslogTestSupport ok = SyslogTestSupport.parse(0, len + " " + msg, len + " " + msg + " " + len + " " + msg);
        assertThat(ok.events).hasSize(3);
        assertThat(ok.problems).isEmpty();
        assertThat(ok.events.get(0).fields()).containsEntry("message", "caf\u00e9");
        SyslogTestSupport bad = SyslogTestSupport.parse(0, (len - 3) + " " + msg + "xyz", (len + 50) + " " + msg);
        assertThat(bad.problems).hasSize(2);
        assertThat(bad.problems.get(0).location()).isEqualTo(1);
        assertThat(bad.problems.get(1).location()).isEqualTo(2);
        // multi-line message in one frame
        String multi = "<34>1 2003-10-11T22:14:15.003Z h app - - - line one\nline two";
        int mlen = multi.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        String[] parts = (mlen + " " + multi).split("\n");
        SyslogTestSupport m = SyslogTestSupport.parse(0, parts[0], parts[1]);
        assertThat(m.problems).isEmpty();
        assertThat(m.events.get(0).fields()).containsEntry("message", "line one\nline two");
    }

    @Test
    void cefAloneAndAfterSyslog() {
        Event e = SyslogTestSupport.one("CEF:0|Security|threatmanager|1.0|100|worm successfully stopped|10|src=10.0.0.1"
                + " dst=2.1.2.2 spt=1232 dpt=80 suser=ali\\=ce msg=Detected a \\\\ worm\\nnext act=blocked"
                + " rt=1700000000000 cs1Label=Rule Name cs1=a b c");
        assertThat(e.fields())
                .containsEntry("deviceVendor", "Security")
                .containsEntry("src", "10.0.0.1")
                .containsEntry("source.ip", "10.0.0.1")
                .containsEntry("destination.ip", "2.1.2.2")
                .containsEntry("source.port", 1232L)
                .containsEntry("destination.port", 80L)
                .containsEntry("suser", "ali=ce")
                .containsEntry("user.name", "ali=ce")
                .containsEntry("message", "Detected a \\ worm\nnext")
                .containsEntry("event.action", "blocked")
                .containsEntry("cs1Label", "Rule Name")
                .containsEntry("cs1", "a b c");
        assertThat(e.timestamp()).isEqualTo(Instant.ofEpochMilli(1700000000000L));
        assertThat(e.logSource().product()).isEqualTo("security");
        Event s = SyslogTestSupport.one("Sep 19 08:26:10 host CEF:0|Vendor\\|X|Prod|1|sig|name|5|src=1.2.3.4");
        assertThat(s.fields())
                .containsEntry("host.name", "host")
                .containsEntry("deviceVendor", "Vendor|X")
                .containsEntry("src", "1.2.3.4");
    }

    @Test
    void leef() {
        Event a = SyslogTestSupport.one("LEEF:1.0|Microsoft|MSExchange|4.0 SP1|15345|src=192.0.2.0\tdst=172.50.123.1"
                + "\tsev=5\tcat=anomaly\tsrcPort=81\tdstPort=21\tusrName=joe.black");
        assertThat(a.fields())
                .containsEntry("eventId", "15345")
                .containsEntry("source.ip", "192.0.2.0")
                .containsEntry("source.port", 81L)
                .containsEntry("user.name", "joe.black")
                .containsEntry("cat", "anomaly");
        Event b = SyslogTestSupport.one("<13>Jan 18 11:07:53 192.168.1.1 LEEF:2.0|Lancope|StealthWatch|1.0|41|^|"
                + "src=192.0.2.0^dst=172.50.123.1^sev=5");
        assertThat(b.fields()).containsEntry("dst", "172.50.123.1").containsEntry("sev", "5");
        Event c = SyslogTestSupport.one("LEEF:2.0|Lancope|StealthWatch|1.0|41|x5E|src=192.0.2.0^dst=172.50.123.1");
        assertThat(c.fields()).containsEntry("src", "192.0.2.0").containsEntry("dst", "172.50.123.1");
    }

    @Test
    void detection() {
        SyslogFormat syslog = new SyslogFormat();
        assertThat(syslog.score(List.of("<34>1 2003-10-11T22:14:15.003Z h a - - - m")))
                .isEqualTo(75);
        assertThat(syslog.score(List.of("<34>Oct 11 22:14:15 mymachine su: x"))).isEqualTo(45);
        assertThat(syslog.score(List.of("Jul  1 09:00:55 calvisitor-10-105-160-95 kernel[0]: IOThunderboltSwitch")))
                .isEqualTo(45);
        assertThat(syslog.score(List.of("hello world"))).isZero();
        assertThat(new CefFormat().score(List.of("Sep 19 08:26:10 host CEF:0|a|b|c|d|e|1|x=y")))
                .isEqualTo(90);
        assertThat(new LeefFormat().score(List.of("LEEF:1.0|a|b|c|d|x=y"))).isEqualTo(90);
    }

    @Test
    void edgeCases() {
        SyslogTestSupport s =
                SyslogTestSupport.parse(0, "Jun 14 15:16:01 ", "<34>", "5 <34>\u00e9\u00e9", "Jun 14 15:16:01 host");
        assertThat(s.events).hasSize(4);
        assertThat(s.problems).hasSize(1); // the frame length ends inside a character
        assertThat(s.events.get(3).fields()).containsEntry("message", "host");
    }

    @Test
    void sshdSessionLinesTakeTheAddressOfTheirPid() {
        SyslogTestSupport s = SyslogTestSupport.parse(
                2005,
                "Jul 17 23:04:01 srv sshd[26713]: Connection from 115.249.163.77 port 51353",
                "Jul 17 23:04:02 srv sshd[26713]: Disconnecting: Too many authentication failures [preauth]",
                "Jul 17 23:04:03 srv sshd[26714]: Disconnecting: Too many authentication failures [preauth]",
                "Jul 17 23:04:04 srv cron[26713]: Disconnecting: Too many authentication failures [preauth]");
        assertThat(s.problems).isEmpty();
        assertThat(s.events.get(1).fields())
                .containsEntry("source.ip", "115.249.163.77")
                .containsEntry("vigil.source_ip_inherited", true);
        assertThat(s.events.get(2).fields()).doesNotContainKey("source.ip");
        assertThat(s.events.get(3).fields()).doesNotContainKey("source.ip");
    }
}
