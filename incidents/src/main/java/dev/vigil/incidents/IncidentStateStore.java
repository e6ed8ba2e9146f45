package dev.vigil.incidents;

import dev.vigil.core.TenantId;
import java.util.Collection;

/**
 * Where the {@link IncidentEngine} keeps its per-tenant state. {@link InMemoryIncidentStateStore} keeps it on the heap;
 * a Flink operator keyed by tenant can hold each {@link TenantIncidentState} in keyed value state instead. Used from one
 * thread (per tenant).
 */
public interface IncidentStateStore {
    /** The tenant's state, created empty when absent. */
    TenantIncidentState state(TenantId tenant);

    /** The tenants that have state. */
    Collection<TenantId> tenants();
}
