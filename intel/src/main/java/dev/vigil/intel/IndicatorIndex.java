package dev.vigil.intel;

import static java.util.Objects.requireNonNull;

import dev.vigil.core.TenantId;
import inet.ipaddr.IPAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An immutable, compact snapshot of indicators for fast matching.
 *
 * <p><b>Layout.</b> Every distinct (type, value) is a <i>key</i> with a number; the keys live in one store per kind,
 * each without per-key objects: hashes as sorted runs of longs ({@link HashKeys}), IPv4 and IPv6 networks as sorted
 * arrays per prefix length ({@link Ipv4Keys}, {@link Ipv6Keys}), domains, URLs, e-mail addresses and file names in a
 * UTF-8 arena with an open-addressing table ({@link StringKeys}). Indicators are <i>entries</i> sorted by key, so the
 * entries of key {@code k} are {@code keyStart[k] .. keyStart[k+1]} (one per scope: global and each tenant). An entry
 * keeps in parallel primitive arrays what the hot path tests (scope, valid-from, valid-until) and an offset into one
 * byte array holding the rest (sources, TLP, tags, references, description) as variable-length integers that refer to
 * interned strings ({@link StringArena}), so a feed name or malware family shared by a whole import is stored once.
 * About 60 to 120 bytes per indicator, depending on the value and how much of its metadata is unique.
 *
 * <p><b>Lookups</b> allocate nothing unless something matches: IPv4 text and hex hashes are parsed in place, a domain
 * and its parent domains are probed as regions of the input string. An address is masked to each prefix length
 * present; a domain is probed at each dot; URLs, e-mail addresses and file names are normalised first (allocating)
 * and probed once. Only on a hit is an {@link Indicator} decoded.
 *
 * <p><b>Updates.</b> The index is never changed: {@link Builder} merges indicators with the same key
 * ({@link Indicator#merge}) and builds a new snapshot (about a second per million indicators); a small delta can sit in
 * front of a big base through {@link LayeredIndex} until the next rebuild, which feeds both into one builder
 * ({@link #forEach}).
 */
public final class IndicatorIndex implements IndicatorLookup {
    private static final int IPV4 = 0;
    private static final int IPV6 = 1;
    private static final int DOMAIN = 2;
    private static final int URL = 3;
    private static final int MD5 = 4;
    private static final int SHA1 = 5;
    private static final int SHA256 = 6;
    private static final int EMAIL = 7;
    private static final int FILE_NAME = 8;
    private static final int STORES = 9;

    private final Ipv4Keys ipv4;
    private final Ipv6Keys ipv6;
    private final StringKeys domains;
    private final StringKeys urls;
    private final HashKeys md5;
    private final HashKeys sha1;
    private final HashKeys sha256;
    private final StringKeys emails;
    private final StringKeys fileNames;
    /** The first key number of each store; {@code keyBase[STORES]} is the key count. */
    private final int[] keyBase = new int[STORES + 1];

    private final int[] keyStart;
    private final int[] entryScope;
    private final long[] entryFrom;
    private final long[] entryUntil;
    private final int[] entryDetail;
    private final byte[] details;
    private final StringArena strings;
    private final Map<TenantId, Integer> scopeIds;
    private final TenantId[] scopes;

    private IndicatorIndex(Builder b) {
        // 1. The distinct values of each store.
        List<Indicator> all = new ArrayList<>(b.indicators.values());
        int n = all.size();
        int[] v4Address = new int[n];
        int[] v4Prefix = new int[n];
        int v4Count = 0;
        long[] v6Words = new long[2 * n];
        int[] v6Prefix = new int[n];
        int v6Count = 0;
        List<List<String>> texts = new ArrayList<>();
        for (int s = 0; s < STORES; s++) {
            texts.add(new ArrayList<>());
        }
        long[] v6 = new long[3];
        for (Indicator i : all) {
            int store = storeOf(i.type(), i.value());
            if (store == IPV4) {
                long[] parsed = parseIpv4Network(i.value());
                v4Address[v4Count] = (int) parsed[0];
                v4Prefix[v4Count++] = (int) parsed[1];
            } else if (store == IPV6) {
                parseIpv6Network(i.value(), v6);
                v6Words[2 * v6Count] = v6[0];
                v6Words[2 * v6Count + 1] = v6[1];
                v6Prefix[v6Count++] = (int) v6[2];
            } else {
                texts.get(store).add(i.value());
            }
        }
        ipv4 = new Ipv4Keys(v4Address, v4Prefix, v4Count);
        ipv6 = new Ipv6Keys(v6Words, v6Prefix, v6Count);
        domains = new StringKeys(distinct(texts.get(DOMAIN)));
        urls = new StringKeys(distinct(texts.get(URL)));
        md5 = HashKeys.build(32, texts.get(MD5));
        sha1 = HashKeys.build(40, texts.get(SHA1));
        sha256 = HashKeys.build(64, texts.get(SHA256));
        emails = new StringKeys(distinct(texts.get(EMAIL)));
        fileNames = new StringKeys(distinct(texts.get(FILE_NAME)));
        int[] counts = {
            ipv4.count(),
            ipv6.count(),
            domains.count(),
            urls.count(),
            md5.count(),
            sha1.count(),
            sha256.count(),
            emails.count(),
            fileNames.count()
        };
        for (int s = 0; s < STORES; s++) {
            keyBase[s + 1] = keyBase[s] + counts[s];
        }

        // 2. Entries sorted by key number: (key << 32 | position) sorts without boxing.
        long[] order = new long[n];
        long[] hash = new long[4];
        for (int k = 0; k < n; k++) {
            Indicator i = all.get(k);
            int key = exactKey(i.type(), i.value(), hash);
            if (key < 0) {
                throw new IllegalStateException("indicator not found in its own index: " + i.key());
            }
            order[k] = ((long) key << 32) | k;
        }
        Arrays.sort(order);
        Map<TenantId, Integer> ids = new HashMap<>();
        List<TenantId> scopeList = new ArrayList<>();
        scopeList.add(null);
        keyStart = new int[keyBase[STORES] + 1];
        entryScope = new int[n];
        entryFrom = new long[n];
        entryUntil = new long[n];
        entryDetail = new int[n];
        StringArena.Builder arena = new StringArena.Builder();
        ByteSink sink = new ByteSink(n * 16);
        for (int e = 0; e < n; e++) {
            Indicator i = all.get((int) order[e]);
            int key = (int) (order[e] >>> 32);
            keyStart[key + 1] = e + 1;
            if (i.tenant() != null) {
                entryScope[e] = ids.computeIfAbsent(i.tenant(), t -> {
                    scopeList.add(t);
                    return scopeList.size() - 1;
                });
            }
            entryFrom[e] = i.validFrom() == null ? Long.MIN_VALUE : millis(i.validFrom());
            entryUntil[e] = i.validUntil() == null ? Long.MAX_VALUE : millis(i.validUntil());
            entryDetail[e] = sink.size();
            encode(i, sink, arena);
        }
        // Keys without entries do not occur, but a zero in keyStart must still become the previous key's end.
        for (int k = 1; k < keyStart.length; k++) {
            keyStart[k] = Math.max(keyStart[k], keyStart[k - 1]);
        }
        details = sink.toArray();
        strings = arena.freeze();
        scopeIds = Map.copyOf(ids);
        scopes = scopeList.toArray(new TenantId[0]);
    }

    private static List<String> distinct(List<String> values) {
        return new ArrayList<>(new LinkedHashSet<>(values));
    }

    static long millis(Instant t) {
        try {
            return t.toEpochMilli();
        } catch (ArithmeticException e) {
            return t.isBefore(Instant.EPOCH) ? Long.MIN_VALUE + 1 : Long.MAX_VALUE - 1;
        }
    }

    private static int storeOf(IndicatorType type, String value) {
        return switch (type) {
            case IPV4 -> IPV4;
            case IPV6 -> IPV6;
            case CIDR -> value.indexOf(':') >= 0 ? IPV6 : IPV4;
            case DOMAIN -> DOMAIN;
            case URL -> URL;
            case MD5 -> MD5;
            case SHA1 -> SHA1;
            case SHA256 -> SHA256;
            case EMAIL -> EMAIL;
            case FILE_NAME -> FILE_NAME;
        };
    }

    /** Address and prefix length of a normalised IPv4 address or network. */
    private static long[] parseIpv4Network(String value) {
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        long a = Ipv4Keys.parse(address);
        if (a < 0) {
            throw new IllegalArgumentException("not a normalised IPv4 value: " + value);
        }
        return new long[] {a, slash < 0 ? 32 : Integer.parseInt(value.substring(slash + 1))};
    }

    /** High word, low word and prefix length of an IPv6 address or network into {@code out}; false when not IPv6. */
    private static boolean parseIpv6Network(String value, long[] out) {
        IPAddress a = IndicatorValues.parseIp(value);
        if (a == null || !a.isIPv6()) {
            return false;
        }
        byte[] bytes = a.getLower().getBytes();
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (bytes[i] & 0xff);
            lo = (lo << 8) | (bytes[8 + i] & 0xff);
        }
        out[0] = hi;
        out[1] = lo;
        Integer prefix = a.getNetworkPrefixLength();
        out[2] = prefix == null ? 128 : prefix;
        return true;
    }

    /** The key number of an exact normalised value, or -1. {@code scratch} holds at least 4 longs. */
    private int exactKey(IndicatorType type, String value, long[] scratch) {
        int store = storeOf(type, value);
        int local = switch (store) {
            case IPV4 -> {
                long[] p = parseIpv4Network(value);
                yield ipv4.find((int) p[0], (int) p[1]);
            }
            case IPV6 -> parseIpv6Network(value, scratch) ? ipv6.find(scratch[0], scratch[1], (int) scratch[2]) : -1;
            case DOMAIN -> domains.find(value);
            case URL -> urls.find(value);
            case MD5 -> HashKeys.parse(value, 32, scratch) ? md5.find(scratch) : -1;
            case SHA1 -> HashKeys.parse(value, 40, scratch) ? sha1.find(scratch) : -1;
            case SHA256 -> HashKeys.parse(value, 64, scratch) ? sha256.find(scratch) : -1;
            case EMAIL -> emails.find(value);
            default -> fileNames.find(value);
        };
        return local < 0 ? -1 : keyBase[store] + local;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int size() {
        return entryScope.length;
    }

    @Override
    public List<Indicator> match(IndicatorType type, String value, TenantId tenant, Instant at) {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        requireNonNull(tenant, "tenant");
        Integer scopeId = scopeIds.get(tenant);
        int scope = scopeId == null ? 0 : scopeId;
        long now = millis(at);
        List<Indicator> out = null;
        switch (type) {
            case IPV4, IPV6, CIDR -> out = matchIp(value.strip(), scope, now);
            case DOMAIN -> {
                String d = isPlainDomain(value) ? value : normalizedOrNull(type, value);
                if (d != null) {
                    // The domain itself, then each parent domain: a.b.evil.com, b.evil.com, evil.com, com.
                    for (int from = 0; from >= 0; ) {
                        int local = domains.find(d, from, d.length());
                        if (local >= 0) {
                            out = collect(keyBase[DOMAIN] + local, scope, now, out);
                        }
                        int dot = d.indexOf('.', from);
                        from = dot < 0 ? -1 : dot + 1;
                    }
                }
            }
            case MD5, SHA1, SHA256 -> {
                String h = value.strip();
                long[] words = new long[4];
                HashKeys keys = type == IndicatorType.MD5 ? md5 : type == IndicatorType.SHA1 ? sha1 : sha256;
                int store = type == IndicatorType.MD5 ? MD5 : type == IndicatorType.SHA1 ? SHA1 : SHA256;
                int length = type == IndicatorType.MD5 ? 32 : type == IndicatorType.SHA1 ? 40 : 64;
                if (keys.count() > 0 && HashKeys.parse(h, length, words)) {
                    int local = keys.find(words);
                    if (local >= 0) {
                        out = collect(keyBase[store] + local, scope, now, out);
                    }
                }
            }
            case URL, EMAIL, FILE_NAME -> {
                StringKeys keys = type == IndicatorType.URL ? urls : type == IndicatorType.EMAIL ? emails : fileNames;
                int store = type == IndicatorType.URL ? URL : type == IndicatorType.EMAIL ? EMAIL : FILE_NAME;
                String v = keys.count() == 0 ? null : normalizedOrNull(type, value);
                if (v != null) {
                    int local = keys.find(v);
                    if (local >= 0) {
                        out = collect(keyBase[store] + local, scope, now, out);
                    }
                }
            }
        }
        return out == null ? List.of() : out;
    }

    private static String normalizedOrNull(IndicatorType type, String value) {
        try {
            return IndicatorValues.normalize(type, value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Already normalised: lower-case host characters with no trailing dot (most values in logs are). */
    private static boolean isPlainDomain(String s) {
        int n = s.length();
        if (n == 0 || s.charAt(n - 1) == '.' || s.charAt(0) == '.') {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private List<Indicator> matchIp(String value, int scope, long now) {
        List<Indicator> out = null;
        long v4 = Ipv4Keys.parse(value);
        if (v4 >= 0) {
            for (int p : ipv4.presentLengths()) {
                int local = ipv4.find((int) v4, p);
                if (local >= 0) {
                    out = collect(keyBase[IPV4] + local, scope, now, out);
                }
            }
            return out;
        }
        if (ipv4.count() == 0 && ipv6.count() == 0) {
            return null;
        }
        IPAddress a = IndicatorValues.parseIp(value);
        if (a == null) {
            return null;
        }
        Integer queryPrefix = a.getNetworkPrefixLength();
        if (a.isIPv4()) {
            int address =
                    (int) Ipv4Keys.parse(a.getLower().withoutPrefixLength().toCanonicalString());
            for (int p : ipv4.presentLengths()) {
                // A range meets the ranges that hold it whole, itself included.
                if (queryPrefix == null || p <= queryPrefix) {
                    int local = ipv4.find(address, p);
                    if (local >= 0) {
                        out = collect(keyBase[IPV4] + local, scope, now, out);
                    }
                }
            }
        } else {
            long[] w = new long[3];
            parseIpv6Network(a.toCanonicalString(), w);
            for (int p : ipv6.presentLengths()) {
                if (p <= w[2]) {
                    int local = ipv6.find(w[0], w[1], p);
                    if (local >= 0) {
                        out = collect(keyBase[IPV6] + local, scope, now, out);
                    }
                }
            }
        }
        return out;
    }

    private List<Indicator> collect(int key, int scope, long now, List<Indicator> out) {
        for (int e = keyStart[key]; e < keyStart[key + 1]; e++) {
            int s = entryScope[e];
            if ((s == 0 || s == scope) && entryFrom[e] <= now && now < entryUntil[e]) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(decode(e, key));
            }
        }
        return out;
    }

    @Override
    public boolean contains(Indicator.Key key) {
        String value;
        try {
            value = IndicatorValues.normalize(key.type(), key.value());
        } catch (IllegalArgumentException e) {
            return false;
        }
        IndicatorType type = key.type();
        if (type == IndicatorType.CIDR && value.indexOf('/') < 0) {
            type = value.indexOf(':') >= 0 ? IndicatorType.IPV6 : IndicatorType.IPV4;
        }
        int k = exactKey(type, value, new long[4]);
        if (k < 0) {
            return false;
        }
        for (int e = keyStart[k]; e < keyStart[k + 1]; e++) {
            if (scopes[entryScope[e]] == null ? key.tenant() == null : scopes[entryScope[e]].equals(key.tenant())) {
                return decode(e, k).type() == key.type();
            }
        }
        return false;
    }

    @Override
    public void forEach(Consumer<Indicator> visitor) {
        for (int k = 0; k < keyBase[STORES]; k++) {
            for (int e = keyStart[k]; e < keyStart[k + 1]; e++) {
                visitor.accept(decode(e, k));
            }
        }
    }

    /** An estimate of the heap this index holds, from its array sizes (the benchmark measures the real figure). */
    public long heapBytesEstimate() {
        long b = ipv4.heapBytes()
                + ipv6.heapBytes()
                + domains.heapBytes()
                + urls.heapBytes()
                + md5.heapBytes()
                + sha1.heapBytes()
                + sha256.heapBytes()
                + emails.heapBytes()
                + fileNames.heapBytes();
        b += 4L * keyStart.length + 4L * entryScope.length + 8L * entryFrom.length + 8L * entryUntil.length;
        b += 4L * entryDetail.length + details.length + strings.heapBytes();
        return b;
    }

    // ---- Entry metadata codec -------------------------------------------------------------------------------------

    private static void encode(Indicator i, ByteSink out, StringArena.Builder arena) {
        out.writeByte(i.tlp().ordinal());
        out.writeVarLong(i.sources().size());
        for (IndicatorSource s : i.sources()) {
            out.writeVarLong(arena.intern(s.feed()));
            out.writeVarLong(arena.intern(s.externalId()));
            out.writeVarLong(s.confidence() + 1L);
            writeInstant(s.firstSeen(), out);
            writeInstant(s.lastSeen(), out);
        }
        writeStrings(i.tags(), out, arena);
        writeStrings(i.references().attackTechniques(), out, arena);
        writeStrings(i.references().malware(), out, arena);
        writeStrings(i.references().campaigns(), out, arena);
        writeStrings(i.references().threatActors(), out, arena);
        out.writeVarLong(i.description().isEmpty() ? 0 : arena.intern(i.description()) + 1L);
    }

    private static void writeInstant(Instant t, ByteSink out) {
        if (t == null) {
            out.writeVarLong(0);
        } else {
            long m = millis(t);
            out.writeVarLong(((m << 1) ^ (m >> 63)) + 1);
        }
    }

    private static void writeStrings(Set<String> values, ByteSink out, StringArena.Builder arena) {
        out.writeVarLong(values.size());
        for (String v : values) {
            out.writeVarLong(arena.intern(v));
        }
    }

    private Indicator decode(int entry, int key) {
        ByteSink.Reader in = new ByteSink.Reader(details, entryDetail[entry]);
        int first = in.readByte();
        Tlp tlp = Tlp.values()[first];
        int store = storeOfKey(key);
        int local = key - keyBase[store];
        IndicatorType type;
        String value;
        switch (store) {
            case IPV4 -> {
                value = ipv4.valueOf(local);
                type = value.indexOf('/') >= 0 ? IndicatorType.CIDR : IndicatorType.IPV4;
            }
            case IPV6 -> {
                value = ipv6.valueOf(local);
                type = value.indexOf('/') >= 0 ? IndicatorType.CIDR : IndicatorType.IPV6;
            }
            case DOMAIN -> {
                value = domains.valueOf(local);
                type = IndicatorType.DOMAIN;
            }
            case URL -> {
                value = urls.valueOf(local);
                type = IndicatorType.URL;
            }
            case MD5 -> {
                value = md5.valueOf(local);
                type = IndicatorType.MD5;
            }
            case SHA1 -> {
                value = sha1.valueOf(local);
                type = IndicatorType.SHA1;
            }
            case SHA256 -> {
                value = sha256.valueOf(local);
                type = IndicatorType.SHA256;
            }
            case EMAIL -> {
                value = emails.valueOf(local);
                type = IndicatorType.EMAIL;
            }
            default -> {
                value = fileNames.valueOf(local);
                type = IndicatorType.FILE_NAME;
            }
        }
        int sourceCount = in.readVarInt();
        List<IndicatorSource> sources = new ArrayList<>(sourceCount);
        for (int s = 0; s < sourceCount; s++) {
            String feed = strings.get(in.readVarInt());
            String externalId = strings.get(in.readVarInt());
            int confidence = in.readVarInt() - 1;
            Instant firstSeen = readInstant(in);
            Instant lastSeen = readInstant(in);
            sources.add(new IndicatorSource(feed, externalId, confidence, firstSeen, lastSeen));
        }
        Set<String> tags = readStrings(in);
        IntelReferences refs = new IntelReferences(readStrings(in), readStrings(in), readStrings(in), readStrings(in));
        int description = in.readVarInt();
        return new Indicator(
                type,
                value,
                scopes[entryScope[entry]],
                sources,
                entryFrom[entry] == Long.MIN_VALUE ? null : Instant.ofEpochMilli(entryFrom[entry]),
                entryUntil[entry] == Long.MAX_VALUE ? null : Instant.ofEpochMilli(entryUntil[entry]),
                tlp,
                tags,
                refs,
                description == 0 ? "" : strings.get(description - 1));
    }

    private int storeOfKey(int key) {
        for (int s = 0; s < STORES; s++) {
            if (key < keyBase[s + 1]) {
                return s;
            }
        }
        throw new IllegalArgumentException("no key " + key);
    }

    private static Instant readInstant(ByteSink.Reader in) {
        long v = in.readVarLong();
        if (v == 0) {
            return null;
        }
        v -= 1;
        return Instant.ofEpochMilli((v >>> 1) ^ -(v & 1));
    }

    private Set<String> readStrings(ByteSink.Reader in) {
        int n = in.readVarInt();
        if (n == 0) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>(n * 2);
        for (int k = 0; k < n; k++) {
            out.add(strings.get(in.readVarInt()));
        }
        return out;
    }

    /**
     * Collects indicators for an {@link IndicatorIndex}. Indicators with the same key are merged as they are added
     * ({@link Indicator#merge}); values are expected normalised (importers do it) and are normalised again here, so a
     * hand-built indicator cannot hide under a spelling no lookup produces.
     */
    public static final class Builder {
        private final Map<Indicator.Key, Indicator> indicators = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds (or merges) an indicator.
         *
         * @throws IllegalArgumentException when its value is not a valid value of its type
         */
        public Builder add(Indicator indicator) {
            String normalized = IndicatorValues.normalize(indicator.type(), indicator.value());
            IndicatorType type = indicator.type();
            if (type == IndicatorType.CIDR && normalized.indexOf('/') < 0) {
                type = normalized.indexOf(':') >= 0 ? IndicatorType.IPV6 : IndicatorType.IPV4;
            }
            Indicator i = normalized.equals(indicator.value()) && type == indicator.type()
                    ? indicator
                    : new Indicator(
                            type,
                            normalized,
                            indicator.tenant(),
                            indicator.sources(),
                            indicator.validFrom(),
                            indicator.validUntil(),
                            indicator.tlp(),
                            indicator.tags(),
                            indicator.references(),
                            indicator.description());
            indicators.merge(i.key(), i, Indicator::merge);
            return this;
        }

        public Builder addAll(Iterable<Indicator> all) {
            for (Indicator i : all) {
                add(i);
            }
            return this;
        }

        /** The number of distinct indicators so far. */
        public int size() {
            return indicators.size();
        }

        public IndicatorIndex build() {
            return new IndicatorIndex(this);
        }
    }
}
