package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import dev.vigil.evtx.EvtxReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The EVTX dispatch: the one class of this module that talks to {@code vigil-evtx}. */
final class EvtxInput {
    private EvtxInput() {}

    /** Whether a file starting with {@code head} is an EVTX file. */
    static boolean isEvtx(byte[] head) {
        return EvtxReader.isEvtx(head);
    }

    /**
     * Reads every record of an EVTX file as a Windows event; returns the number of events passed to {@code sink}.
     * Problems are reported under {@code source} (the name the user gave, also when {@code file} is a decompressed
     * temporary copy).
     */
    static long read(Path file, String source, TenantId tenant, Consumer<Event> sink, ProblemSink problems)
            throws IOException {
        ProblemSink renamed = p -> problems.report(new Problem(source, p.location(), p.message()));
        long[] count = {0};
        try (EvtxReader reader = EvtxReader.open(file)) {
            reader.forEach(
                    record -> {
                        sink.accept(WindowsEventNormalizer.normalize(
                                record.event(), source, record.recordId(), tenant, record.written()));
                        count[0]++;
                    },
                    renamed);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count[0];
    }
}
