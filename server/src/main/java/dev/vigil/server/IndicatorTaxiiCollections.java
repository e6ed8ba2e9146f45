package dev.vigil.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.core.TenantId;
import dev.vigil.intel.Indicator;
import dev.vigil.intel.IndicatorJson;
import dev.vigil.intel.IndicatorSource;
import dev.vigil.meta.MetadataStore;
import dev.vigil.meta.Role;
import dev.vigil.meta.StoredIndicator;
import dev.vigil.taxii.ObjectPage;
import dev.vigil.taxii.ObjectQuery;
import dev.vigil.taxii.StixObject;
import dev.vigil.taxii.TaxiiAuthenticator;
import dev.vigil.taxii.TaxiiCollection;
import dev.vigil.taxii.TaxiiCollections;
import dev.vigil.taxii.TaxiiPrincipal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * Vigil's own indicators as a TAXII 2.1 collection: each tenant reads one collection, {@value #COLLECTION_ID}, holding
 * its indicators and the global ones as STIX 2.1 {@code indicator} objects, in the order they were stored (the TAXII
 * {@code date_added}), so partners poll it incrementally with {@code added_after}. Authentication is a Vigil API token
 * of role read or above; it sees its own tenant only.
 */
final class IndicatorTaxiiCollections implements TaxiiCollections {
    static final String COLLECTION_ID = "9d1f4e2c-7a35-4f0e-9b0c-5d2c3f1a6b71";
    private static final UUID NAMESPACE = UUID.fromString("0f3c9a52-4e7b-4c55-8a9d-2b6f1e7d9c30");

    private final MetadataStore meta;
    private final IndicatorJson codec = new IndicatorJson();
    private final ObjectMapper json = JsonMapper.builder().build();

    IndicatorTaxiiCollections(MetadataStore meta) {
        this.meta = requireNonNull(meta, "meta");
    }

    /** Bearer Vigil API tokens of role read or above. */
    TaxiiAuthenticator authenticator() {
        return authorization -> {
            if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.empty();
            }
            return meta.authenticate(authorization.substring(7).strip())
                    .filter(p -> p.role().allows(Role.READ))
                    .map(p -> new TaxiiPrincipal("token " + p.tokenId(), p.tenant()));
        };
    }

    @Override
    public List<TaxiiCollection> collections(TenantId tenant) {
        return List.of(new TaxiiCollection(
                COLLECTION_ID,
                "Vigil indicators",
                "The indicators of tenant " + tenant.value() + " and the global ones, as STIX 2.1 indicators",
                true,
                false));
    }

    @Override
    public ObjectPage objects(TenantId tenant, String collectionId, ObjectQuery query) {
        if (!COLLECTION_ID.equals(collectionId)) {
            return new ObjectPage(List.of(), null);
        }
        Instant after = query.addedAfter() == null ? Instant.EPOCH : query.addedAfter();
        int offset = 0;
        if (query.next() != null) {
            // next = "<added_after millis>:<offset>", issued by this class.
            String[] parts = query.next().split(":", 2);
            try {
                after = Instant.ofEpochMilli(Long.parseLong(parts[0]));
                offset = Integer.parseInt(parts[1]);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("next: not a token this server issued");
            }
        }
        // A page covers the next `limit` stored indicators; match[id] and match[type] filter within it, so a
        // filtered page may hold fewer objects while `next` still leads on.
        List<StoredIndicator> rows = meta.indicatorsUpdatedAfter(tenant, after, offset, query.limit() + 1);
        boolean more = rows.size() > query.limit();
        List<StixObject> out = new ArrayList<>();
        for (StoredIndicator row : more ? rows.subList(0, query.limit()) : rows) {
            StixObject o = stix(row);
            if (query.matches(o)) {
                out.add(o);
            }
        }
        return new ObjectPage(out, more ? after.toEpochMilli() + ":" + (offset + query.limit()) : null);
    }

    @Override
    public List<StixObject> object(TenantId tenant, String collectionId, String objectId) {
        if (!COLLECTION_ID.equals(collectionId)) {
            return List.of();
        }
        // Few partners ask for single objects; a scan of the tenant's indicators is acceptable for it.
        List<StixObject> found = new ArrayList<>();
        int offset = 0;
        while (true) {
            List<StoredIndicator> rows = meta.indicatorsUpdatedAfter(tenant, Instant.EPOCH, offset, 5000);
            for (StoredIndicator row : rows) {
                if (idOf(row).equals(objectId)) {
                    found.add(stix(row));
                }
            }
            if (rows.size() < 5000 || !found.isEmpty()) {
                return found;
            }
            offset += rows.size();
        }
    }

    static String idOf(StoredIndicator row) {
        String key = (row.scope() == null ? "" : row.scope().value()) + "|" + row.type() + "|" + row.value();
        return "indicator--" + nameUuid(key);
    }

    private StixObject stix(StoredIndicator row) {
        Indicator i = codec.fromJson(row.body());
        Instant added = row.updatedAt();
        String id = idOf(row);
        ObjectNode o = json.createObjectNode();
        o.put("type", "indicator");
        o.put("spec_version", "2.1");
        o.put("id", id);
        o.put("created", added.toString());
        o.put("modified", added.toString());
        o.put("name", i.value());
        if (!i.description().isEmpty()) {
            o.put("description", i.description());
        }
        o.putArray("indicator_types").add("malicious-activity");
        o.put("pattern", pattern(i));
        o.put("pattern_type", "stix");
        o.put("valid_from", (i.validFrom() != null ? i.validFrom() : added).toString());
        if (i.validUntil() != null) {
            o.put("valid_until", i.validUntil().toString());
        }
        int confidence = i.confidence();
        if (confidence != IndicatorSource.UNKNOWN_CONFIDENCE) {
            o.put("confidence", confidence);
        }
        if (!i.tags().isEmpty()) {
            var labels = o.putArray("labels");
            i.tags().forEach(labels::add);
        }
        try {
            return new StixObject(id, "indicator", added.toString(), added, json.writeValueAsString(o));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + id, e);
        }
    }

    /** The STIX pattern of an indicator; values are quoted with ' and \ escaped as STIX requires. */
    static String pattern(Indicator i) {
        String v = "'" + i.value().replace("\\", "\\\\").replace("'", "\\'") + "'";
        return switch (i.type()) {
            case IPV4 -> "[ipv4-addr:value = " + v + "]";
            case IPV6 -> "[ipv6-addr:value = " + v + "]";
            case CIDR -> (i.value().contains(":") ? "[ipv6-addr:value = " : "[ipv4-addr:value = ") + v + "]";
            case DOMAIN -> "[domain-name:value = " + v + "]";
            case URL -> "[url:value = " + v + "]";
            case MD5 -> "[file:hashes.MD5 = " + v + "]";
            case SHA1 -> "[file:hashes.'SHA-1' = " + v + "]";
            case SHA256 -> "[file:hashes.'SHA-256' = " + v + "]";
            case EMAIL -> "[email-addr:value = " + v + "]";
            case FILE_NAME -> "[file:name = " + v + "]";
        };
    }

    /** A name-based (version 5) UUID, so an indicator keeps its STIX id across restarts and servers. */
    private static UUID nameUuid(String name) {
        try {
            var sha1 = java.security.MessageDigest.getInstance("SHA-1");
            sha1.update(toBytes(NAMESPACE));
            byte[] h = sha1.digest(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            h[6] = (byte) ((h[6] & 0x0f) | 0x50);
            h[8] = (byte) ((h[8] & 0x3f) | 0x80);
            long msb = 0;
            long lsb = 0;
            for (int k = 0; k < 8; k++) {
                msb = (msb << 8) | (h[k] & 0xff);
                lsb = (lsb << 8) | (h[k + 8] & 0xff);
            }
            return new UUID(msb, lsb);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    private static byte[] toBytes(UUID u) {
        return java.nio.ByteBuffer.allocate(16)
                .putLong(u.getMostSignificantBits())
                .putLong(u.getLeastSignificantBits())
                .array();
    }
}
