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
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An immutable, compact snapshot of indicators for fast matching.
 *
 * <p><b>Layout.</b> Every distinct (type, value) is a <i>key</i> with a number; the keys live in one store per kind,
 * each without per-key objects: hashes as runs of longs ({@link HashKeys}), IPv4 and IPv6 networks as primitive
 * arrays of address and prefix length ({@link Ipv4Keys}, {@link Ipv6Keys}), domains, URLs, e-mail addresses and file
 * names in a UTF-8 arena ({@link StringKeys}). Indicators are <i>entries</i>, sorted by key (one per scope: global and
 * each tenant), four longs each in one array: valid-from, valid-until, key and scope, and the offset of the rest
 * (sources, TLP, tags, references, description) in one byte array of variable-length integers that refer to interned
 * strings ({@link StringArena}), so a feed name or malware family shared by a whole import is stored once. About 70 to
 * 140 bytes per indicator, depending on the value and how much of its metadata is unique.
 *
 * <p><b>Lookups.</b> Each store has a {@link KeyTable}, an open-addressing table from a 64-bit hash of the key to the
 * key's first entry, with a 32-bit tag of the hash in the slot. A lookup costs, in cache misses: one for a value that
 * is not held (the slot run); two for a held key with no live entry for the tenant (the slot, then the entry with its
 * validity and scope next to each other); and for a hit, one or two more to confirm the key (a tag match is not
 * proof) and to decode the {@link Indicator}. The key is confirmed only after a live entry is found, because most
 * held keys in a large feed collection are expired or another tenant's. No lookup allocates unless it hits or the
 * value needs normalising: IPv4 text and hex hashes are parsed in place, a domain and its parent domains are hashed in
 * one pass over the string ({@link StringKeys}). An address is probed once per prefix length that may hold it (a
 * first-level filter in {@link Ipv4Keys} says which); URLs, e-mail addresses and file names are normalised first
 * (allocating) and probed once. {@link #scoped} resolves the tenant's scope number and the time once for the many
 * lookups of one event.
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

    /** Longs per entry, and the position of each field in an entry. */
    private static final int STRIDE = 4;

    private static final int FROM = 0;
    private static final int UNTIL = 1;
    /** The key number in the upper 32 bits, the scope number (0 for global) in the lower. */
    private static final int KEY_SCOPE = 2;

    private static final int DETAIL = 3;

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

    private final long[] entries;
    private final int entryCount;
    private final byte[] details;
    private final StringArena strings;
    private final Map<TenantId, Integer> scopeIds;
    private final TenantId[] scopes;
    /** How many entries each scope holds (scope 0: the global ones). */
    private final int[] entriesPerScope;

    private IndicatorIndex(Builder b) {
        // 1. The distinct values of each store, and the key of each indicator.
        List<Indicator> all = new ArrayList<>(b.indicators.values());
        int n = all.size();
        List<Map<String, Integer>> localIds = new ArrayList<>();
        List<List<String>> values = new ArrayList<>();
        for (int s = 0; s < STORES; s++) {
            localIds.add(new HashMap<>());
            values.add(new ArrayList<>());
        }
        int[] storeOf = new int[n];
        int[] localOf = new int[n];
        for (int k = 0; k < n; k++) {
            Indicator i = all.get(k);
            int store = storeOf(i.type(), i.value());
            List<String> known = values.get(store);
            Integer local = localIds.get(store).putIfAbsent(i.value(), known.size());
            if (local == null) {
                local = known.size();
                known.add(i.value());
            }
            storeOf[k] = store;
            localOf[k] = local;
        }
        for (int s = 0; s < STORES; s++) {
            keyBase[s + 1] = keyBase[s] + values.get(s).size();
        }

        // 2. Entries sorted by key number: (key << 32 | position) sorts without boxing.
        long[] order = new long[n];
        for (int k = 0; k < n; k++) {
            order[k] = ((long) (keyBase[storeOf[k]] + localOf[k]) << 32) | k;
        }
        Arrays.sort(order);
        Map<TenantId, Integer> ids = new HashMap<>();
        List<TenantId> scopeList = new ArrayList<>();
        scopeList.add(null);
        entryCount = n;
        entries = new long[n * STRIDE];
        int[] firstEntry = new int[keyBase[STORES]];
        StringArena.Builder arena = new StringArena.Builder();
        ByteSink sink = new ByteSink(n * 16);
        for (int e = 0; e < n; e++) {
            Indicator i = all.get((int) order[e]);
            int key = (int) (order[e] >>> 32);
            if (e == 0 || (int) (order[e - 1] >>> 32) != key) {
                firstEntry[key] = e;
            }
            int scope = 0;
            if (i.tenant() != null) {
                scope = ids.computeIfAbsent(i.tenant(), t -> {
                    scopeList.add(t);
                    return scopeList.size() - 1;
                });
            }
            entries[e * STRIDE + FROM] = i.validFrom() == null ? Long.MIN_VALUE : millis(i.validFrom());
            entries[e * STRIDE + UNTIL] = i.validUntil() == null ? Long.MAX_VALUE : millis(i.validUntil());
            entries[e * STRIDE + KEY_SCOPE] = ((long) key << 32) | scope;
            entries[e * STRIDE + DETAIL] = sink.size();
            encode(i, sink, arena);
        }
        details = sink.toArray();
        strings = arena.freeze();
        scopeIds = Map.copyOf(ids);
        scopes = scopeList.toArray(new TenantId[0]);
        entriesPerScope = new int[scopes.length];
        for (int e = 0; e < n; e++) {
            entriesPerScope[(int) entries[e * STRIDE + KEY_SCOPE]]++;
        }

        // 3. The stores, each key pointing at its first entry.
        List<String> v4 = values.get(IPV4);
        int[] v4Address = new int[v4.size()];
        int[] v4Prefix = new int[v4.size()];
        for (int k = 0; k < v4.size(); k++) {
            long[] parsed = parseIpv4Network(v4.get(k));
            v4Address[k] = (int) parsed[0];
            v4Prefix[k] = (int) parsed[1];
        }
        ipv4 = new Ipv4Keys(v4Address, v4Prefix, v4.size(), firstEntries(firstEntry, IPV4));
        List<String> v6 = values.get(IPV6);
        long[] v6Words = new long[2 * v6.size()];
        int[] v6Prefix = new int[v6.size()];
        long[] w = new long[3];
        for (int k = 0; k < v6.size(); k++) {
            if (!parseIpv6Network(v6.get(k), w)) {
                throw new IllegalArgumentException("not a normalised IPv6 value: " + v6.get(k));
            }
            v6Words[2 * k] = w[0];
            v6Words[2 * k + 1] = w[1];
            v6Prefix[k] = (int) w[2];
        }
        ipv6 = new Ipv6Keys(v6Words, v6Prefix, v6.size(), firstEntries(firstEntry, IPV6));
        domains = new StringKeys(values.get(DOMAIN), firstEntries(firstEntry, DOMAIN));
        urls = new StringKeys(values.get(URL), firstEntries(firstEntry, URL));
        md5 = new HashKeys(32, values.get(MD5), firstEntries(firstEntry, MD5));
        sha1 = new HashKeys(40, values.get(SHA1), firstEntries(firstEntry, SHA1));
        sha256 = new HashKeys(64, values.get(SHA256), firstEntries(firstEntry, SHA256));
        emails = new StringKeys(values.get(EMAIL), firstEntries(firstEntry, EMAIL));
        fileNames = new StringKeys(values.get(FILE_NAME), firstEntries(firstEntry, FILE_NAME));
    }

    private int[] firstEntries(int[] firstEntry, int store) {
        return Arrays.copyOfRange(firstEntry, keyBase[store], keyBase[store + 1]);
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

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int size() {
        return entryCount;
    }

    @Override
    public ScopedLookup scoped(TenantId tenant, Instant at) {
        requireNonNull(tenant, "tenant");
        requireNonNull(at, "at");
        return new Scoped(tenant, at, scopeOf(tenant), millis(at));
    }

    @Override
    public List<Indicator> match(IndicatorType type, String value, TenantId tenant, Instant at) {
        requireNonNull(tenant, "tenant");
        return match(type, value, scopeOf(tenant), millis(at));
    }

    /** The tenant's scope number; 0 (global only) for a tenant without indicators of its own. */
    private int scopeOf(TenantId tenant) {
        Integer id = scopeIds.get(tenant);
        return id == null ? 0 : id;
    }

    /** This index for one tenant at one instant. */
    private final class Scoped implements ScopedLookup {
        private final TenantId tenant;
        private final Instant at;
        private final int scope;
        private final long now;

        Scoped(TenantId tenant, Instant at, int scope, long now) {
            this.tenant = tenant;
            this.at = at;
            this.scope = scope;
            this.now = now;
        }

        @Override
        public TenantId tenant() {
            return tenant;
        }

        @Override
        public Instant at() {
            return at;
        }

        @Override
        public List<Indicator> match(IndicatorType type, String value) {
            return IndicatorIndex.this.match(type, value, scope, now);
        }
    }

    private List<Indicator> match(IndicatorType type, String value, int scope, long now) {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
        List<Indicator> out = switch (type) {
            case IPV4, IPV6, CIDR -> matchIp(value.strip(), scope, now);
            case DOMAIN -> matchDomain(value, scope, now);
            case MD5 -> matchHash(md5, MD5, 32, value, scope, now);
            case SHA1 -> matchHash(sha1, SHA1, 40, value, scope, now);
            case SHA256 -> matchHash(sha256, SHA256, 64, value, scope, now);
            case URL -> matchString(urls, URL, type, value, scope, now);
            case EMAIL -> matchString(emails, EMAIL, type, value, scope, now);
            case FILE_NAME -> matchFileName(value, scope, now);
        };
        return out == null ? List.of() : out;
    }

    private List<Indicator> matchHash(HashKeys keys, int store, int length, String value, int scope, long now) {
        if (keys.count() == 0) {
            return null;
        }
        long[] words = new long[4];
        if (!HashKeys.parse(value.strip(), length, words)) {
            return null;
        }
        int first = findHash(keys, store, words, scope, now, true);
        return first < 0 ? null : collect(first, scope, now, null);
    }

    private List<Indicator> matchString(
            StringKeys keys, int store, IndicatorType type, String value, int scope, long now) {
        if (keys.count() == 0) {
            return null;
        }
        String v = type == IndicatorType.URL && IndicatorValues.isNormalizedUrl(value)
                ? value
                : normalizedOrNull(type, value);
        if (v == null) {
            return null;
        }
        int first =
                findString(keys, store, v, 0, v.length(), StringKeys.hash(v, 0, v.length()), false, scope, now, true);
        return first < 0 ? null : collect(first, scope, now, null);
    }

    /**
     * A file name is the base name, lower-case: for ASCII text without surrounding spaces (nearly every path in
     * logs) the base name is probed in place, A-Z folded, instead of normalising a copy.
     */
    private List<Indicator> matchFileName(String value, int scope, long now) {
        if (fileNames.count() == 0) {
            return null;
        }
        int n = value.length();
        int start = Math.max(value.lastIndexOf('/'), value.lastIndexOf('\\')) + 1;
        boolean plain = start < n && value.charAt(0) > ' ' && value.charAt(n - 1) > ' ';
        long h = 0;
        for (int i = start; i < n && plain; i++) {
            char c = value.charAt(i);
            plain = c < 0x80;
            h = h * StringKeys.M + StringKeys.lower(c);
        }
        if (!plain) {
            return matchString(fileNames, FILE_NAME, IndicatorType.FILE_NAME, value, scope, now);
        }
        int first = findString(fileNames, FILE_NAME, value, start, n, KeyTable.mix(h), true, scope, now, true);
        return first < 0 ? null : collect(first, scope, now, null);
    }

    /** The domain itself, then each parent domain: a.b.evil.com, b.evil.com, evil.com, com. */
    private List<Indicator> matchDomain(String value, int scope, long now) {
        if (domains.count() == 0) {
            return null;
        }
        String d = isPlainDomain(value) ? value : normalizedOrNull(IndicatorType.DOMAIN, value);
        if (d == null) {
            return null;
        }
        // Polynomial hashes (StringKeys): H(d[i..n)) = H(d) - H(d[0..i)) * M^(n-i), with M^(n-i) stepped down by M^-1.
        int n = d.length();
        long whole = 0;
        long power = 1;
        for (int i = 0; i < n; i++) {
            whole = whole * StringKeys.M + StringKeys.lower(d.charAt(i));
            power *= StringKeys.M;
        }
        List<Indicator> out = null;
        long prefix = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || d.charAt(i - 1) == '.') {
                long hash = KeyTable.mix(whole - prefix * power);
                int first = findString(domains, DOMAIN, d, i, n, hash, true, scope, now, true);
                if (first >= 0) {
                    out = collect(first, scope, now, out);
                }
            }
            prefix = prefix * StringKeys.M + StringKeys.lower(d.charAt(i));
            power *= StringKeys.M_INVERSE;
        }
        return out;
    }

    private static String normalizedOrNull(IndicatorType type, String value) {
        try {
            return IndicatorValues.normalize(type, value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Already normalised but perhaps for ASCII case (most host names in logs are): letters, digits, {@code -},
     * {@code _} and dots, no empty label or label over 63, at most 253 characters, a top-level label that is not
     * numeric. Anything else goes through {@link IndicatorValues#normalizeDomain}.
     */
    private static boolean isPlainDomain(String s) {
        int n = s.length();
        if (n == 0 || n > 253) {
            return false;
        }
        int labelStart = 0;
        boolean numericLabel = true;
        for (int i = 0; i <= n; i++) {
            char c = i == n ? '.' : s.charAt(i);
            if (c == '.') {
                if (i == labelStart || i - labelStart > 63) {
                    return false;
                }
                if (i == n) {
                    break;
                }
                labelStart = i + 1;
                numericLabel = true;
            } else if (c >= '0' && c <= '9') {
                continue;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_') {
                numericLabel = false;
            } else {
                return false;
            }
        }
        return !numericLabel;
    }

    private List<Indicator> matchIp(String value, int scope, long now) {
        long v4 = Ipv4Keys.parse(value);
        if (v4 >= 0) {
            return matchIpv4((int) v4, 32, scope, now);
        }
        if (ipv4.count() == 0 && ipv6.count() == 0) {
            return null;
        }
        long[] w = new long[3];
        if (Ipv6Keys.parse(value, w) && !(w[0] == 0 && (w[1] >>> 32) == 0xffffL)) {
            // Plain IPv6 text (an IPv4-mapped address is the IPv4 address: the full parser below says so).
            return matchIpv6(w[0], w[1], 128, scope, now);
        }
        IPAddress a = IndicatorValues.parseIp(value);
        if (a == null) {
            return null;
        }
        Integer queryPrefix = a.getNetworkPrefixLength();
        if (a.isIPv4()) {
            // A range meets the ranges that hold it whole, itself included.
            int address =
                    (int) Ipv4Keys.parse(a.getLower().withoutPrefixLength().toCanonicalString());
            return matchIpv4(address, queryPrefix == null ? 32 : queryPrefix, scope, now);
        }
        parseIpv6Network(a.toCanonicalString(), w);
        return matchIpv6(w[0], w[1], (int) w[2], scope, now);
    }

    /** The networks of at most {@code maxPrefix} bits holding the address {@code (high, low)}, longest first. */
    private List<Indicator> matchIpv6(long high, long low, int maxPrefix, int scope, long now) {
        if (ipv6.count() == 0) {
            return null;
        }
        List<Indicator> out = null;
        for (int p : ipv6.presentLengths()) {
            if (p <= maxPrefix) {
                int first = findIpv6(high & Ipv6Keys.highMask(p), low & Ipv6Keys.lowMask(p), p, scope, now, true);
                if (first >= 0) {
                    out = collect(first, scope, now, out);
                }
            }
        }
        return out;
    }

    /** The networks of at most {@code maxPrefix} bits holding {@code address}, longest first. */
    private List<Indicator> matchIpv4(int address, int maxPrefix, int scope, long now) {
        if (ipv4.count() == 0) {
            return null;
        }
        long lengths = ipv4.lengthsNear(address) & ((2L << maxPrefix) - 1);
        List<Indicator> out = null;
        while (lengths != 0) {
            int p = 63 - Long.numberOfLeadingZeros(lengths);
            lengths &= ~(1L << p);
            int first = findIpv4(address & Ipv4Keys.mask(p), p, scope, now, true);
            if (first >= 0) {
                out = collect(first, scope, now, out);
            }
        }
        return out;
    }

    // ---- Probes: the first entry of a key, or -1. With `live`, only a key with an entry live for (scope, now) is
    // confirmed, so the key data (another cache miss) is read only then; a tag match that is not the key, or is the
    // key without a live entry, goes on probing, which ends at the next empty slot.

    private int findHash(HashKeys keys, int store, long[] words, int scope, long now, boolean live) {
        KeyTable t = keys.table();
        long hash = keys.hash(words);
        for (int i = t.home(hash); ; i = t.next(i)) {
            long slot = t.slot(i);
            if (slot == 0) {
                return -1;
            }
            if (KeyTable.tagMatches(slot, hash)) {
                int first = KeyTable.value(slot);
                if ((!live || anyLive(first, scope, now)) && keys.sameAs(keyOf(first) - keyBase[store], words)) {
                    return first;
                }
            }
        }
    }

    private int findString(
            StringKeys keys,
            int store,
            CharSequence s,
            int from,
            int to,
            long hash,
            boolean foldCase,
            int scope,
            long now,
            boolean live) {
        KeyTable t = keys.table();
        for (int i = t.home(hash); ; i = t.next(i)) {
            long slot = t.slot(i);
            if (slot == 0) {
                return -1;
            }
            if (KeyTable.tagMatches(slot, hash)) {
                int first = KeyTable.value(slot);
                if ((!live || anyLive(first, scope, now))
                        && keys.sameAs(keyOf(first) - keyBase[store], s, from, to, foldCase)) {
                    return first;
                }
            }
        }
    }

    private int findIpv4(int network, int prefix, int scope, long now, boolean live) {
        KeyTable t = ipv4.table();
        long hash = Ipv4Keys.hash(network, prefix);
        for (int i = t.home(hash); ; i = t.next(i)) {
            long slot = t.slot(i);
            if (slot == 0) {
                return -1;
            }
            if (KeyTable.tagMatches(slot, hash)) {
                int first = KeyTable.value(slot);
                if ((!live || anyLive(first, scope, now))
                        && ipv4.sameAs(keyOf(first) - keyBase[IPV4], network, prefix)) {
                    return first;
                }
            }
        }
    }

    private int findIpv6(long high, long low, int prefix, int scope, long now, boolean live) {
        KeyTable t = ipv6.table();
        long hash = Ipv6Keys.hash(high, low, prefix);
        for (int i = t.home(hash); ; i = t.next(i)) {
            long slot = t.slot(i);
            if (slot == 0) {
                return -1;
            }
            if (KeyTable.tagMatches(slot, hash)) {
                int first = KeyTable.value(slot);
                if ((!live || anyLive(first, scope, now))
                        && ipv6.sameAs(keyOf(first) - keyBase[IPV6], high, low, prefix)) {
                    return first;
                }
            }
        }
    }

    private int keyOf(int entry) {
        return (int) (entries[entry * STRIDE + KEY_SCOPE] >>> 32);
    }

    private boolean isLive(int entry, int scope, long now) {
        int at = entry * STRIDE;
        int s = (int) entries[at + KEY_SCOPE];
        return (s == 0 || s == scope) && entries[at + FROM] <= now && now < entries[at + UNTIL];
    }

    /** Whether the key whose entries start at {@code first} has one live for {@code scope} at {@code now}. */
    private boolean anyLive(int first, int scope, long now) {
        int key = keyOf(first);
        for (int e = first; e < entryCount && keyOf(e) == key; e++) {
            if (isLive(e, scope, now)) {
                return true;
            }
        }
        return false;
    }

    private List<Indicator> collect(int first, int scope, long now, List<Indicator> out) {
        int key = keyOf(first);
        for (int e = first; e < entryCount && keyOf(e) == key; e++) {
            if (isLive(e, scope, now)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(decode(e));
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
        int first = exactFirst(type, value);
        if (first < 0) {
            return false;
        }
        int k = keyOf(first);
        for (int e = first; e < entryCount && keyOf(e) == k; e++) {
            TenantId scope = scopes[(int) entries[e * STRIDE + KEY_SCOPE]];
            if (scope == null ? key.tenant() == null : scope.equals(key.tenant())) {
                return decode(e).type() == key.type();
            }
        }
        return false;
    }

    /** The first entry of an exact normalised value, or -1. */
    private int exactFirst(IndicatorType type, String value) {
        long[] words = new long[4];
        return switch (storeOf(type, value)) {
            case IPV4 -> {
                if (ipv4.count() == 0) {
                    yield -1;
                }
                long[] p = parseIpv4Network(value);
                yield findIpv4((int) p[0] & Ipv4Keys.mask((int) p[1]), (int) p[1], 0, 0, false);
            }
            case IPV6 ->
                ipv6.count() > 0 && parseIpv6Network(value, words)
                        ? findIpv6(words[0], words[1], (int) words[2], 0, 0, false)
                        : -1;
            case DOMAIN -> exactString(domains, DOMAIN, value);
            case URL -> exactString(urls, URL, value);
            case MD5 -> exactHash(md5, MD5, 32, value, words);
            case SHA1 -> exactHash(sha1, SHA1, 40, value, words);
            case SHA256 -> exactHash(sha256, SHA256, 64, value, words);
            case EMAIL -> exactString(emails, EMAIL, value);
            default -> exactString(fileNames, FILE_NAME, value);
        };
    }

    private int exactString(StringKeys keys, int store, String value) {
        return keys.count() == 0
                ? -1
                : findString(
                        keys,
                        store,
                        value,
                        0,
                        value.length(),
                        StringKeys.hash(value, 0, value.length()),
                        false,
                        0,
                        0,
                        false);
    }

    private int exactHash(HashKeys keys, int store, int length, String value, long[] words) {
        return keys.count() > 0 && HashKeys.parse(value, length, words)
                ? findHash(keys, store, words, 0, 0, false)
                : -1;
    }

    @Override
    public void forEach(Consumer<Indicator> visitor) {
        for (int e = 0; e < entryCount; e++) {
            visitor.accept(decode(e));
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
        b += 8L * entries.length + details.length + strings.heapBytes();
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

    /** The normalised value of key number {@code key}. */
    private String valueOfKey(int key) {
        int store = storeOfKey(key);
        int local = key - keyBase[store];
        return switch (store) {
            case IPV4 -> ipv4.valueOf(local);
            case IPV6 -> ipv6.valueOf(local);
            case DOMAIN -> domains.valueOf(local);
            case URL -> urls.valueOf(local);
            case MD5 -> md5.valueOf(local);
            case SHA1 -> sha1.valueOf(local);
            case SHA256 -> sha256.valueOf(local);
            case EMAIL -> emails.valueOf(local);
            default -> fileNames.valueOf(local);
        };
    }

    /** The type of key number {@code key}, whose value is {@code value}. */
    private IndicatorType typeOfKey(int key, String value) {
        IndicatorType type = typeOfStore(storeOfKey(key));
        return (type == IndicatorType.IPV4 || type == IndicatorType.IPV6) && value.indexOf('/') >= 0
                ? IndicatorType.CIDR
                : type;
    }

    /** The one type a store holds; the address stores also hold CIDR ranges of their family. */
    private static IndicatorType typeOfStore(int store) {
        return switch (store) {
            case IPV4 -> IndicatorType.IPV4;
            case IPV6 -> IndicatorType.IPV6;
            case DOMAIN -> IndicatorType.DOMAIN;
            case URL -> IndicatorType.URL;
            case MD5 -> IndicatorType.MD5;
            case SHA1 -> IndicatorType.SHA1;
            case SHA256 -> IndicatorType.SHA256;
            case EMAIL -> IndicatorType.EMAIL;
            default -> IndicatorType.FILE_NAME;
        };
    }

    /**
     * Decodes only what the text search keeps: the value and type of each key are built once for all its entries,
     * and an entry is decoded in full only when it is visible and matches.
     */
    @Override
    public void forEachContaining(TenantId tenant, IndicatorType type, String lowerText, Consumer<Indicator> visitor) {
        countContaining(tenant, type, lowerText, "", Integer.MAX_VALUE, visitor);
    }

    @Override
    public long countContaining(
            TenantId tenant,
            IndicatorType type,
            String lowerText,
            String lowerSource,
            int limit,
            Consumer<Indicator> firstMatches) {
        requireNonNull(tenant, "tenant");
        requireNonNull(lowerText, "lowerText");
        int own = scopeOf(tenant);
        // Building a value is the cost (hex for hashes, text for addresses): skip the stores that cannot hold a match,
        // and build none when every value of a store matches.
        boolean[] possible = new boolean[STORES];
        boolean[] all = new boolean[STORES];
        for (int store = 0; store < STORES; store++) {
            possible[store] = mayHold(store, type) && mayContain(store, lowerText);
            all[store] = lowerText.isEmpty() && (type == null || store != IPV4 && store != IPV6);
        }
        byte[] ascii = lowerText.isEmpty() || !lowerText.chars().allMatch(c -> c < 0x80)
                ? null
                : lowerText.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] scratch = new byte[64];
        Map<Integer, Boolean> feedMatches = new HashMap<>(); // by feed name id: few feeds, many indicators
        int lastKey = -1;
        boolean keyMatches = false;
        long matches = 0;
        for (int e = 0; e < entryCount; e++) {
            int scope = (int) entries[e * STRIDE + KEY_SCOPE];
            if (scope != 0 && scope != own) { // own is 0 for a tenant with no indicators of its own
                continue;
            }
            int key = keyOf(e);
            if (key != lastKey) {
                lastKey = key;
                int store = storeOfKey(key);
                if (!possible[store]) {
                    keyMatches = false;
                } else if (all[store]) {
                    keyMatches = true;
                } else if (ascii != null && store != IPV4 && store != IPV6) {
                    // One type per store here, so only the text is left to compare, in the stores' own bytes.
                    keyMatches = textMatches(store, key - keyBase[store], ascii, lowerText, scratch);
                } else {
                    String value = valueOfKey(key);
                    keyMatches = (type == null || typeOfKey(key, value) == type)
                            && (lowerText.isEmpty()
                                    || value.toLowerCase(Locale.ROOT).contains(lowerText));
                }
            }
            if (keyMatches && (lowerSource.isEmpty() || fromSource(e, lowerSource, feedMatches)) && matches++ < limit) {
                firstMatches.accept(decode(e));
            }
        }
        return matches;
    }

    /**
     * Whether a source of entry {@code e} has a feed name containing {@code lowerSource}, read from the entry's
     * details without decoding the rest; each feed name is tested once per search.
     */
    private boolean fromSource(int e, String lowerSource, Map<Integer, Boolean> feedMatches) {
        ByteSink.Reader in = new ByteSink.Reader(details, (int) entries[e * STRIDE + DETAIL]);
        in.readByte(); // TLP
        int sourceCount = in.readVarInt();
        for (int k = 0; k < sourceCount; k++) {
            int feed = in.readVarInt();
            in.readVarInt(); // external id
            in.readVarInt(); // confidence
            readInstant(in); // first seen
            readInstant(in); // last seen
            if (feedMatches.computeIfAbsent(
                    feed, id -> strings.get(id).toLowerCase(Locale.ROOT).contains(lowerSource))) {
                return true;
            }
        }
        return false;
    }

    private boolean textMatches(int store, int local, byte[] ascii, String lowerText, byte[] scratch) {
        return switch (store) {
            case MD5 -> md5.hexContains(local, ascii, scratch);
            case SHA1 -> sha1.hexContains(local, ascii, scratch);
            case SHA256 -> sha256.hexContains(local, ascii, scratch);
            case DOMAIN -> domains.containsLowerCase(local, ascii, lowerText);
            case URL -> urls.containsLowerCase(local, ascii, lowerText);
            case EMAIL -> emails.containsLowerCase(local, ascii, lowerText);
            default -> fileNames.containsLowerCase(local, ascii, lowerText);
        };
    }

    /** Whether a store can hold indicators of {@code type} (any when null). */
    private static boolean mayHold(int store, IndicatorType type) {
        return type == null
                || type == typeOfStore(store)
                || type == IndicatorType.CIDR && (store == IPV4 || store == IPV6);
    }

    /** Whether lower-case {@code text} can occur in a value of a store, by the characters its values are made of. */
    private static boolean mayContain(int store, String text) {
        return switch (store) {
            case MD5 -> text.length() <= 32 && onlyOf(text, "0123456789abcdef");
            case SHA1 -> text.length() <= 40 && onlyOf(text, "0123456789abcdef");
            case SHA256 -> text.length() <= 64 && onlyOf(text, "0123456789abcdef");
            case IPV4 -> onlyOf(text, "0123456789./");
            case IPV6 -> onlyOf(text, "0123456789abcdef:./");
            default -> true;
        };
    }

    private static boolean onlyOf(String text, String alphabet) {
        for (int i = 0; i < text.length(); i++) {
            if (alphabet.indexOf(text.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long countVisible(TenantId tenant) {
        requireNonNull(tenant, "tenant");
        int own = scopeOf(tenant);
        return entriesPerScope[0] + (own == 0 ? 0 : entriesPerScope[own]);
    }

    private Indicator decode(int entry) {
        int key = keyOf(entry);
        long from = entries[entry * STRIDE + FROM];
        long until = entries[entry * STRIDE + UNTIL];
        ByteSink.Reader in = new ByteSink.Reader(details, (int) entries[entry * STRIDE + DETAIL]);
        int first = in.readByte();
        Tlp tlp = Tlp.values()[first];
        String value = valueOfKey(key);
        IndicatorType type = typeOfKey(key, value);
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
                scopes[(int) entries[entry * STRIDE + KEY_SCOPE]],
                sources,
                from == Long.MIN_VALUE ? null : Instant.ofEpochMilli(from),
                until == Long.MAX_VALUE ? null : Instant.ofEpochMilli(until),
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
