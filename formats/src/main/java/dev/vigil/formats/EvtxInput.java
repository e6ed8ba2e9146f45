package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.Problem;
import dev.vigil.core.ProblemSink;
import dev.vigil.core.TenantId;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The EVTX dispatch: the one class of this module that talks to {@code vigil-evtx}. */
final class EvtxInput {
    private static final byte[] MAGIC = {'E', 'l', 'f', 'F', 'i', 'l', 'e', 0};

    private EvtxInput() {}

    /** Whether a file starting with {@code head} is an EVTX file. */
    static boolean isEvtx(byte[] head) {
        if (head.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (head[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }

    /** Reads every record of an EVTX file as a Windows event; returns the number of events passed to {@code sink}. */
    static long read(Path file, String source, TenantId tenant, Consumer<Event> sink, ProblemSink problems)
            throws IOException {
        problems.report(new Problem(source, 0, "EVTX is not supported by this build: the vigil-evtx reader is missing"));
        return 0;
    }
}
