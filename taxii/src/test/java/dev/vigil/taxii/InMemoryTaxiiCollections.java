package dev.vigil.taxii;

import dev.vigil.core.TenantId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Collections held in memory per tenant: the reference the server-side implementation over the indicator store must
 * behave like. Paging tokens are the position after the last object sent, checked against the query they belong to.
 */
final class InMemoryTaxiiCollections implements TaxiiCollections {
    private final Map<TenantId, List<TaxiiCollection>> collections = new ConcurrentHashMap<>();
    private final Map<String, List<StixObject>> objects = new ConcurrentHashMap<>();

    void addCollection(TenantId tenant, TaxiiCollection c) {
        collections.computeIfAbsent(tenant, t -> new CopyOnWriteArrayList<>()).add(c);
        objects.putIfAbsent(c.id(), new CopyOnWriteArrayList<>());
    }

    void add(String collectionId, StixObject o) {
        objects.get(collectionId).add(o);
    }

    @Override
    public List<TaxiiCollection> collections(TenantId tenant) {
        return List.copyOf(collections.getOrDefault(tenant, List.of()));
    }

    @Override
    public ObjectPage objects(TenantId tenant, String collectionId, ObjectQuery query) {
        if (collection(tenant, collectionId).isEmpty()) {
            return new ObjectPage(List.of(), null);
        }
        List<StixObject> matching = new ArrayList<>();
        for (StixObject o : objects.get(collectionId)) {
            if (query.matches(o)) {
                matching.add(o);
            }
        }
        matching.sort(Comparator.comparing(StixObject::dateAdded).thenComparing(StixObject::id));
        int from = 0;
        if (query.next() != null) {
            String[] parts = query.next().split(":");
            if (parts.length != 2 || !parts[0].equals(Integer.toHexString(fingerprint(query)))) {
                throw new IllegalArgumentException("unknown next token: " + query.next());
            }
            from = Integer.parseInt(parts[1]);
        }
        int to = Math.min(matching.size(), from + query.limit());
        String next = to < matching.size() ? Integer.toHexString(fingerprint(query)) + ":" + to : null;
        return new ObjectPage(matching.subList(Math.min(from, to), to), next);
    }

    @Override
    public List<StixObject> object(TenantId tenant, String collectionId, String objectId) {
        if (collection(tenant, collectionId).isEmpty()) {
            return List.of();
        }
        return objects.get(collectionId).stream()
                .filter(o -> o.id().equals(objectId))
                .toList();
    }

    /** A token is only good for the filters it was made for. */
    private static int fingerprint(ObjectQuery q) {
        return java.util.Objects.hash(q.addedAfter(), q.ids(), q.types());
    }
}
