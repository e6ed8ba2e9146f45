package dev.vigil.server;

import dev.vigil.core.TenantId;
import dev.vigil.intel.ImportOptions;
import dev.vigil.intel.ImportResult;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorIndex;
import dev.vigil.intel.IndicatorJson;
import dev.vigil.intel.csv.CsvImporter;
import dev.vigil.intel.csv.CsvMapping;
import dev.vigil.intel.misp.MispImporter;
import dev.vigil.intel.stix.StixImporter;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.StoredIndicator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Importing indicator files into a data directory's knowledge base, shared by the server's API and the {@code vigil
 * intel import} command: parse with the intel module's importers, merge with what is already stored under the same
 * key, store. A running server sees the change through the intel version and retro-hunts the new indicators.
 */
public final class IntelImports {
    private static final IndicatorJson CODEC = new IndicatorJson();

    private IntelImports() {}

    /** The formats an import accepts. */
    public enum Format {
        STIX,
        MISP,
        CSV;

        public static Format parse(String text) {
            try {
                return valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("format: use stix, misp or csv, not '" + text + "'");
            }
        }

        /** By the file name, then the content: a STIX bundle, a MISP event, else a CSV or plain list. */
        public static Format detect(String fileName, byte[] content) {
            String name = fileName.toLowerCase(Locale.ROOT);
            if (name.endsWith(".csv") || name.endsWith(".txt")) {
                return CSV;
            }
            String head = new String(content, 0, Math.min(content.length, 4096), StandardCharsets.UTF_8);
            if (head.contains("\"bundle\"")) {
                return STIX;
            }
            if (head.contains("\"Event\"") || head.contains("\"response\"")) {
                return MISP;
            }
            return head.stripLeading().startsWith("{") || head.stripLeading().startsWith("[") ? STIX : CSV;
        }
    }

    /**
     * The column mapping named {@code feodo} (abuse.ch Feodo Tracker; also for {@code null}) or {@code plain:TYPE} (one
     * value of that indicator type per line).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static CsvMapping csvMapping(String text) {
        if (text == null || text.equals("feodo")) {
            return CsvMapping.feodoTracker();
        }
        if (text.startsWith("plain:")) {
            try {
                return CsvMapping.plainList(
                        dev.vigil.intel.IndicatorType.valueOf(text.substring(6).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                // fall through to the message naming what is accepted
            }
        }
        throw new IllegalArgumentException("feodo or plain:TYPE (ipv4, ipv6, cidr, domain, url, md5, sha1, sha256,"
                + " email, file_name), not '" + text + "'");
    }

    /** What storing an import did: how many indicators were written, how many merged with known ones, which are new. */
    public record Stored(int stored, int merged, List<Indicator> fresh) {
        public Stored {
            fresh = List.copyOf(fresh);
        }
    }

    /** Parses one file; nothing is stored. */
    public static ImportResult parse(String source, Format format, byte[] bytes, TenantId scope, CsvMapping csv) {
        ImportOptions options = ImportOptions.DEFAULTS.withTenant(scope);
        return switch (format) {
            case STIX -> new StixImporter().importBundle(source, bytes, options);
            case MISP -> new MispImporter().importEvents(source, bytes, options);
            case CSV ->
                new CsvImporter().importCsv(source, bytes, csv == null ? CsvMapping.feodoTracker() : csv, options);
        };
    }

    /** Every stored indicator in one index; unreadable rows are skipped and told to {@code warnings}. */
    public static IndicatorIndex load(MetadataStore meta, Consumer<String> warnings) {
        IndicatorIndex.Builder b = IndicatorIndex.builder();
        meta.forEachIndicator(stored -> {
            try {
                b.add(CODEC.fromJson(stored.body()));
            } catch (IllegalArgumentException e) {
                warnings.accept("stored indicator " + stored.type() + " " + stored.value() + " cannot be read and is"
                        + " skipped: " + e.getMessage());
            }
        });
        return b.build();
    }

    /** Merges an import's indicators with those {@code current} knows under the same key and stores them. */
    public static Stored store(MetadataStore meta, IndicatorIndex current, ImportResult result) {
        Map<Indicator.Key, Indicator> incoming = new LinkedHashMap<>();
        for (Indicator i : result.indicators()) {
            incoming.merge(i.key(), i, Indicator::merge);
        }
        Set<Indicator.Key> known = new HashSet<>();
        for (Indicator.Key k : incoming.keySet()) {
            if (current.contains(k)) {
                known.add(k);
            }
        }
        if (!known.isEmpty()) {
            current.forEach(existing -> {
                if (known.contains(existing.key())) {
                    incoming.put(existing.key(), existing.merge(incoming.get(existing.key())));
                }
            });
        }
        List<StoredIndicator> rows = new ArrayList<>(incoming.size());
        List<Indicator> fresh = new ArrayList<>();
        for (Indicator i : incoming.values()) {
            rows.add(new StoredIndicator(i.tenant(), i.type().name(), i.value(), i.validUntil(), CODEC.toJson(i)));
            if (!known.contains(i.key())) {
                fresh.add(i);
            }
        }
        meta.putIndicators(rows);
        return new Stored(rows.size(), known.size(), fresh);
    }
}
