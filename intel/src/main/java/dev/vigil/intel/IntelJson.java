package dev.vigil.intel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The bounded JSON reading all feed importers share. */
public final class IntelJson {
    /** Feeds nest a few levels (a STIX pattern is a string, not a tree); 64 is far beyond any real one. */
    public static final int MAX_NESTING = 64;

    /** One string (a description, a pattern) of at most 4 Mi characters. */
    public static final int MAX_STRING = 4 << 20;

    private IntelJson() {}

    /** A new mapper with the limits above; mappers are thread-safe, callers may keep one. */
    public static ObjectMapper mapper() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(MAX_STRING)
                        .maxNumberLength(100)
                        .maxNameLength(4096)
                        .build())
                .build();
        return new ObjectMapper(factory);
    }

    /** {@code in}, failing with a clear message once more than {@code maxBytes} have been read. */
    public static InputStream limit(InputStream in, long maxBytes) {
        return new FilterInputStream(in) {
            private long count;

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    add(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int off, int len) throws IOException {
                int n = super.read(buffer, off, len);
                if (n > 0) {
                    add(n);
                }
                return n;
            }

            private void add(long n) throws IOException {
                count += n;
                if (count > maxBytes) {
                    throw new InputTooLargeException(maxBytes);
                }
            }
        };
    }

    /** Thrown by {@link #limit}: the input is larger than the caller allowed. */
    public static final class InputTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        public InputTooLargeException(long maxBytes) {
            super("input larger than the limit of " + maxBytes + " bytes");
        }
    }
}
