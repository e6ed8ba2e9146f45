package dev.vigil.formats.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.formats.EventReaders;
import dev.vigil.formats.ReadOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Garbage, invalid UTF-8, a 10 MB line and truncated records are reported with file and line; the rest is read. */
class SyslogBadInputTest {
    @TempDir
    Path dir;

    @Test
    void badLinesAreReportedAndTheRestIsRead() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        String good = "Jun 14 15:16:01 combo sshd[1]: Accepted password for bob from 10.0.0.1 port 22 ssh2\n";
        write(b, good); // 1
        write(b, good); // 2
        byte[] garbage = new byte[300];
        new Random(7).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == '\n' || garbage[i] == '\r') {
                garbage[i] = 0;
            }
        }
        garbage[0] = 0;
        b.write(garbage); // 3: binary garbage
        b.write('\n');
        write(b, "Jun 14 15:16:02 combo sshd[2]: invalid utf-8 ");
        b.write(new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE});
        b.write('\n'); // 4: a syslog line with invalid UTF-8 in the message: read, bytes replaced
        b.write(new byte[] {(byte) 0xFF, (byte) 0xFE, (byte) 0x80, 0x41, 0x42, '\n'}); // 5: invalid UTF-8 only
        write(b, "x".repeat(10 << 20) + "\n"); // 6: a 10 MB line that is not syslog
        write(b, "Jun 14 15:16:03 combo app[3]: " + "y".repeat(10 << 20) + "\n"); // 7: a 10 MB syslog line
        write(b, "<165>1 2003-10-11T22:14:15.003Z host app - ID47 [exampleSDID@32473 iut=\"3\" eventSource=\"Appl\n");
        write(b, "<165>1 2003-10-11T22:14:15.003Z host app - ID47 [exampleSDID@32473 iut=\"3\"\n"); // 9
        write(b, "<165>1 2003-10-11T22:14:15.003Z host app\n"); // 10: header cut
        write(b, "CEF:0|Vendor|Prod|1.0\n"); // 11: CEF header cut
        write(b, good); // 12
        Path file = dir.resolve("bad.log");
        Files.write(file, b.toByteArray());

        List<Event> events = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        EventReaders.read(file, ReadOptions.DEFAULT.withFormatNamed("syslog"), events::add, problems::add);
        problems.forEach(p -> System.out.println("bad input: "
                + p.toString().substring(0, Math.min(160, p.toString().length()))));
        assertThat(problems).allSatisfy(p -> assertThat(p.source()).isEqualTo(file.toString()));
        assertThat(problems).extracting(Problem::location).containsExactly(3L, 5L, 6L, 8L, 9L, 10L, 11L);
        assertThat(events).extracting(e -> e.source().record()).containsExactly(1L, 2L, 4L, 7L, 12L);
        assertThat((String) events.get(2).fields().get("message"))
                .startsWith("invalid utf-8 ")
                .contains("\uFFFD");
        assertThat((String) events.get(3).fields().get("message")).hasSize(10 << 20);

        // Detection still picks syslog for the file (its first lines are syslog).
        List<Event> detected = new ArrayList<>();
        EventReaders.read(file, ReadOptions.DEFAULT, detected::add, p -> {});
        assertThat(detected).hasSize(5);
    }

    private static void write(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
