package dev.vigil.inputs;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import dev.vigil.formats.text.TextFormats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link FileTailer} tails.
 *
 * @param tenant the tenant of every event
 * @param paths files to tail: plain paths, or paths whose file name is a glob ({@code /var/log/nginx/*.log}); globs in
 *     directory names are not expanded
 * @param format a text format name ({@code syslog}, {@code access}, ...), {@code json} for JSON lines, or {@code null}
 *     to detect each file's format from its first lines
 * @param checkpointFile where offsets are kept across restarts (written atomically)
 * @param maxLineBytes longer lines are skipped and counted as rejected
 * @param batchSize lines' events gathered before a submit
 * @param pollInterval the pause between polls of {@link FileTailer#start()}; also how long a submit may wait
 */
public record TailConfig(
        TenantId tenant,
        List<String> paths,
        String format,
        Path checkpointFile,
        int maxLineBytes,
        int batchSize,
        Duration pollInterval) {
    public TailConfig {
        requireNonNull(tenant, "tenant");
        paths = List.copyOf(requireNonNull(paths, "paths"));
        requireNonNull(checkpointFile, "checkpointFile");
        requireNonNull(pollInterval, "pollInterval");
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("paths must name at least one file or glob");
        }
        if (maxLineBytes < 16 || batchSize < 1 || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("need maxLineBytes >= 16, batchSize >= 1 and a positive pollInterval");
        }
        if (format != null && !isJson(format) && TextFormats.byName(format).isEmpty()) {
            throw new IllegalArgumentException(
                    "unknown format '" + format + "'; known: json, " + String.join(", ", TextFormats.names()));
        }
    }

    /** Detected format, 1 MiB lines, batches of 500, polls every 250 ms. */
    public static TailConfig of(TenantId tenant, List<String> paths, Path checkpointFile) {
        return new TailConfig(tenant, paths, null, checkpointFile, 1 << 20, 500, Duration.ofMillis(250));
    }

    public TailConfig withFormat(String name) {
        return new TailConfig(tenant, paths, name, checkpointFile, maxLineBytes, batchSize, pollInterval);
    }

    public TailConfig withBatchSize(int size) {
        return new TailConfig(tenant, paths, format, checkpointFile, maxLineBytes, size, pollInterval);
    }

    public TailConfig withMaxLineBytes(int bytes) {
        return new TailConfig(tenant, paths, format, checkpointFile, bytes, batchSize, pollInterval);
    }

    public TailConfig withPollInterval(Duration interval) {
        return new TailConfig(tenant, paths, format, checkpointFile, maxLineBytes, batchSize, interval);
    }

    static boolean isJson(String format) {
        String f = format.toLowerCase(Locale.ROOT);
        return f.equals("json") || f.equals("ndjson") || f.equals("jsonl");
    }
}
