package dev.vigil.formats.text;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The client address last seen for each process of one file, for lines of the same session that do not repeat it: sshd
 * logs {@code Connection from 192.0.2.1 port 22} and later, under the same pid, {@code Disconnecting: Too many
 * authentication failures [preauth]} without the address. fail2ban's multi-line filters join such lines by pid, and its
 * annotations expect the address on the later line; parsers use this map to carry it. Bounded (least recently used
 * processes are forgotten) so a long file cannot grow it without limit. Not thread-safe, one per parser.
 */
public final class SessionAddresses {
    /** How many processes are remembered. */
    public static final int CAPACITY = 1024;

    private final Map<Object, String> byProcess = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, String> eldest) {
            return size() > CAPACITY;
        }
    };

    /**
     * Remembers {@code ip} as the address of {@code process}: any key with value equality that names one process of the
     * file, e.g. {@code "sshd[1234]"}, or the pid alone when the caller keeps the addresses of one program only.
     */
    public void remember(Object process, String ip) {
        if (process != null && ip != null) {
            byProcess.put(process, ip);
        }
    }

    /** The address last remembered for {@code process}, or null. */
    public String recall(Object process) {
        return process == null ? null : byProcess.get(process);
    }
}
