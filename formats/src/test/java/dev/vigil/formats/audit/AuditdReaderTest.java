package dev.vigil.formats.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.core.TenantId;
import dev.vigil.core.testing.Corpus;
import dev.vigil.formats.EventFormat;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import dev.vigil.formats.ReadSummary;
import dev.vigil.formats.text.TextContext;
import dev.vigil.sigma.SigmaDetector;
import dev.vigil.sigma.SigmaRuleSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditdReaderTest {
    private static final Pattern SERIAL = Pattern.compile("msg=audit\\(([0-9.]+:[0-9]+)\\)");

    @TempDir
    Path tmp;

    private static List<Event> parse(String text, ProblemCollector problems) {
        AuditdParser parser = new AuditdParser(TextContext.of("t.log", TenantId.DEFAULT));
        List<Event> out = new ArrayList<>();
        long n = 0;
        for (String line : text.split("\n", -1)) {
            parser.line(line, ++n, out::add, problems);
        }
        parser.end(out::add, problems);
        return out;
    }

    @Test
    void joinsInterleavedRecordsAndDecodesHex() {
        String log = String.join(
                "\n",
                "type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e syscall=59 success=yes exit=0 a0=1c4f2e8"
                        + " a1=1c4f4c8 a2=1c4e008 a3=7fff items=2 ppid=2686 pid=3538 auid=1000 uid=0 gid=0 euid=0"
                        + " comm=\"cat\" exe=\"/bin/cat\" key=\"sshd_config\"",
                "type=USER_CMD msg=audit(1364481363.250:24290): pid=1 uid=0 auid=1000 ses=1 msg='cwd=\"/\""
                        + " cmd=6C73202D6C terminal=pts/0 res=success'",
                "type=EXECVE msg=audit(1364481363.243:24287): argc=2 a0=\"cat\" a1=2F6574632F7373682F737368645F636F6E666967",
                "type=CWD msg=audit(1364481363.243:24287):  cwd=\"/home/shadowman\"",
                "type=PATH msg=audit(1364481363.243:24287): item=0 name=\"/bin/cat\" inode=1 mode=0100755",
                "type=PATH msg=audit(1364481363.243:24287): item=1 name=2F6574632F7373682F737368645F636F6E666967",
                "type=PROCTITLE msg=audit(1364481363.243:24287): proctitle=636174002F6574632F7373682F737368645F636F6E666967",
                "type=EOE msg=audit(1364481363.243:24287):");
        ProblemCollector problems = new ProblemCollector(10);
        List<Event> events = parse(log, problems);
        assertThat(problems.count()).isZero();
        assertThat(events).hasSize(2);
        Event e = events.get(0);
        assertThat(e.fields().get("type")).isEqualTo(List.of("SYSCALL", "EXECVE", "CWD", "PATH", "PATH", "PROCTITLE"));
        assertThat(e.fields()).containsEntry("a0", "cat").containsEntry("a1", "/etc/ssh/sshd_config");
        assertThat(e.fields().get("name")).isEqualTo(List.of("/bin/cat", "/etc/ssh/sshd_config"));
        assertThat(e.fields())
                .containsEntry("proctitle", "cat /etc/ssh/sshd_config")
                .containsEntry("SYSCALL", "execve")
                .containsEntry("syscall", "59")
                .containsEntry("exe", "/bin/cat")
                .containsEntry("comm", "cat")
                .containsEntry("key", "sshd_config")
                .containsEntry("process.pid", 3538L)
                .containsEntry("process.parent.pid", 2686L)
                .containsEntry("process.executable", "/bin/cat")
                .containsEntry("process.command_line", "cat /etc/ssh/sshd_config")
                .containsEntry("event.action", "execve")
                .containsEntry("event.outcome", "success")
                .containsEntry("@timestamp", "2013-03-28T14:36:03.243Z");
        assertThat(e.timestamp()).hasToString("2013-03-28T14:36:03.243Z");
        assertThat(e.logSource().product()).isEqualTo("linux");
        assertThat(e.logSource().services()).containsExactly("auditd");
        assertThat(e.source().record()).isEqualTo(1);
        Event cmd = events.get(1);
        assertThat(cmd.fields())
                .containsEntry("cmd", "ls -l")
                .containsEntry("cwd", "/")
                .containsEntry("res", "success");
        assertThat(cmd.fields().get("type")).isEqualTo(List.of("USER_CMD"));
    }

    @Test
    void badLinesAreReportedAndBufferIsBounded() {
        StringBuilder log = new StringBuilder();
        log.append("type=SYSCALL msg=audit(1364481363.2\n"); // truncated header
        log.append("\u0000\u0001garbage \uFFFD\uFFFD\n");
        for (int i = 0; i < 5000; i++) {
            log.append("type=PATH msg=audit(1364481363.243:").append(i).append("): item=0 name=\"/x\"\n");
        }
        ProblemCollector problems = new ProblemCollector(10);
        List<Event> events = parse(log.toString(), problems);
        assertThat(events).hasSize(5000);
        assertThat(problems.problems()).hasSize(2);
        assertThat(problems.problems().get(0).location()).isEqualTo(1);
        assertThat(problems.problems().get(1).location()).isEqualTo(2);
    }

    @Test
    void samplesJoinRecordsAndFireSigmaRule() throws IOException {
        Path root = Corpus.require("logs/auditd-samples");
        List<Path> files;
        try (Stream<Path> walk = Files.list(root)) {
            files = walk.filter(p -> p.toString().endsWith(".log")).sorted().toList();
        }
        assertThat(files).hasSize(3);
        SigmaRuleSet rules = SigmaRuleSet.builder()
                .add(Corpus.require("sigma/rules/linux/auditd"))
                .build();
        assertThat(rules.detectionRuleCount()).isGreaterThan(40);
        SigmaDetector detector = new SigmaDetector(rules);
        Set<String> fired = new HashSet<>();
        for (Path file : files) {
            Set<String> serials = new HashSet<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = SERIAL.matcher(line);
                if (m.find()) {
                    serials.add((line.startsWith("node=") ? line.substring(0, line.indexOf(' ')) : "") + m.group(1));
                }
            }
            List<Event> events = new ArrayList<>();
            ProblemCollector problems = new ProblemCollector(10);
            ReadSummary summary = EventReaders.read(file, ReadOptions.DEFAULT, events::add, problems);
            assertThat(summary.format()).isEqualTo(EventFormat.TEXT);
            assertThat(problems.count()).as(file + " " + problems.problems()).isZero();
            assertThat(events).as(file.toString()).hasSize(serials.size());
            for (Event e : events) {
                assertThat(e.timestamp()).isNotNull();
                assertThat(e.fields().get("type")).isInstanceOf(List.class);
                assertThat(e.logSource().services()).containsExactly("auditd");
                detector.process(e).forEach(d -> fired.add(d.rule().file()));
            }
        }
        assertThat(fired).anyMatch(f -> f.endsWith("lnx_auditd_create_account.yml"));
    }

    @Test
    void detectedAmongOtherTextFormats() throws IOException {
        Path f = tmp.resolve("audit.log");
        Files.writeString(
                f,
                "node=h type=USER_LOGIN msg=audit(1610903553.686:584): pid=1 uid=0 msg='op=login acct=\"bob\" res=failed'\n");
        List<Event> events = new ArrayList<>();
        ReadSummary s = EventReaders.read(f, ReadOptions.DEFAULT, events::add, p -> {});
        assertThat(s.format()).isEqualTo(EventFormat.TEXT);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).fields())
                .containsEntry("host.name", "h")
                .containsEntry("user.name", "bob")
                .containsEntry("event.outcome", "failure")
                .containsEntry("event.category", "authentication");
    }
}
