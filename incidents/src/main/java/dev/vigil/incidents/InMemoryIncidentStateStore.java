package dev.vigil.incidents;

import dev.vigil.core.TenantId;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Per-tenant incident state on the heap. Not thread-safe: the engine is used from one thread. */
public final class InMemoryIncidentStateStore implements IncidentStateStore {
    private final Map<TenantId, TenantIncidentState> states = new HashMap<>();

    @Override
    public TenantIncidentState state(TenantId tenant) {
        return states.computeIfAbsent(tenant, t -> new TenantIncidentState());
    }

    @Override
    public Collection<TenantId> tenants() {
        return List.copyOf(states.keySet());
    }
}
