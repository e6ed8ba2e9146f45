package dev.vigil.formats;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    @Test
    void indexOfFindsTheFirstNewlineAtEveryOffset() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[random.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // bytes near '\n' and high bytes stress the word-at-a-time test
                int pick = random.nextInt(6);
                b[i] = (byte) (pick == 0 ? '\n' : pick == 1 ? 0x0B : pick == 2 ? 0x8A : pick == 3 ? 0x09 : 'a');
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length);
            int expected = -1;
            for (int i = from; i < b.length; i++) {
                if (b[i] == '\n') {
                    expected = i;
                    break;
                }
            }
            assertThat(LineReader.indexOf(b, from, b.length)).isEqualTo(expected);
        }
    }

    @Test
    void linesAcrossBufferBoundariesCrLfBomAndNoFinalNewline() throws IOException {
        String longLine = "x".repeat(200_000);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] text = ("a\r\n\n" + longLine + "\nlast").getBytes(UTF_8);
        byte[] all = new byte[bom.length + text.length];
        System.arraycopy(bom, 0, all, 0, 3);
        System.arraycopy(text, 0, all, 3, text.length);
        LineReader r = new LineReader(new ByteArrayInputStream(all), 1 << 20);
        List<String> lines = new ArrayList<>();
        while (r.next()) {
            lines.add(new String(r.bytes(), r.offset(), r.length(), UTF_8));
        }
        assertThat(lines).containsExactly("a", "", longLine, "last");
        assertThat(r.lineNumber()).isEqualTo(4);
    }

    @Test
    void aTooLongLineIsFlaggedAndTheNextLineRead() throws IOException {
        byte[] text = ("ok\n" + "y".repeat(300_000) + "\nnext\n" + "z".repeat(300_000)).getBytes(UTF_8);
        LineReader r = new LineReader(new ByteArrayInputStream(text), 100_000);
        assertThat(r.next()).isTrue();
        assertThat(r.tooLong()).isFalse();
        assertThat(r.next()).isTrue();
        assertThat(r.tooLong()).isTrue();
        assertThat(r.skippedBytes()).isGreaterThan(100_000);
        assertThat(r.lineNumber()).isEqualTo(2);
        assertThat(r.next()).isTrue();
        assertThat(new String(r.bytes(), r.offset(), r.length(), UTF_8)).isEqualTo("next");
        assertThat(r.next()).isTrue();
        assertThat(r.tooLong()).isTrue();
        assertThat(r.lineNumber()).isEqualTo(4);
        assertThat(r.next()).isFalse();
    }
}
