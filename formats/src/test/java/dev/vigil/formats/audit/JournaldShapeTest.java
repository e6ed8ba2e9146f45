package dev.vigil.formats.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.ProblemCollector;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournaldShapeTest {
    @TempDir
    Path tmp;

    @Test
    void journalctlJsonExport() throws IOException {
        Path f = tmp.resolve("journal.json");
        Files.writeString(
                f,
                "{\"__CURSOR\":\"s=1\",\"__REALTIME_TIMESTAMP\":\"1700000000123456\",\"_HOSTNAME\":\"web1\","
                        + "\"_PID\":\"812\",\"_COMM\":\"sshd\",\"SYSLOG_IDENTIFIER\":\"sshd\",\"_SYSTEMD_UNIT\":\"ssh.service\","
                        + "\"MESSAGE\":\"Failed password for root from 10.0.0.9 port 4242 ssh2\",\"PRIORITY\":\"6\"}\n"
                        + "{\"__REALTIME_TIMESTAMP\":\"1700000001000000\",\"SYSLOG_IDENTIFIER\":\"CRON\","
                        + "\"MESSAGE\":[104,105],\"_PID\":\"9\"}\n"
                        + "{\"__REALTIME_TIMESTAMP\":\"1700000002000000\",\"_COMM\":\"kernel\",\"MESSAGE\":\"x\"}\n");
        List<Event> events = new ArrayList<>();
        ProblemCollector problems = new ProblemCollector(10);
        EventReaders.read(f, ReadOptions.DEFAULT, events::add, problems);
        assertThat(problems.problems()).isEmpty();
        assertThat(events).hasSize(3);
        Event ssh = events.get(0);
        assertThat(ssh.timestamp()).hasToString("2023-11-14T22:13:20.123456Z");
        assertThat(ssh.fields())
                .containsEntry("_HOSTNAME", "web1")
                .containsEntry("host.name", "web1")
                .containsEntry("process.pid", 812L)
                .containsEntry("process.name", "sshd")
                .containsEntry("message", "Failed password for root from 10.0.0.9 port 4242 ssh2");
        assertThat(ssh.logSource().product()).isEqualTo("linux");
        assertThat(ssh.logSource().services()).containsExactlyInAnyOrder("sshd", "auth");
        assertThat(events.get(1).logSource().services()).containsExactly("cron");
        assertThat(events.get(1).fields()).containsEntry("MESSAGE", "hi");
        assertThat(events.get(2).logSource().services()).containsExactly("syslog");
        assertThat(events.get(2).fields()).containsEntry("process.name", "kernel");
    }
}
