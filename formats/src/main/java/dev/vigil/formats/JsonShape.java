package dev.vigil.formats;

import dev.vigil.core.Event;
import dev.vigil.core.TenantId;
import java.util.Map;

/**
 * A JSON dialect with its own normalisation: Suricata EVE, Zeek JSON logs, journald exports, .... {@link
 * JsonEventNormalizer} asks each shape in {@link JsonShapes} whether it recognises an object (by its keys, cheaply),
 * and the first that does turns it into an {@link Event} with its log source and ECS fields. Implementations are
 * stateless.
 */
public interface JsonShape {
    /** A short name, e.g. {@code suricata}. */
    String name();

    /** Whether {@code root} is an object of this dialect; must be cheap (a few key lookups). */
    boolean matches(Map<String, Object> root);

    /**
     * The event for {@code root}.
     *
     * @param position the record number when the object has none of its own (line or 1-based position)
     */
    Event normalize(Map<String, Object> root, String source, long position, TenantId tenant);
}
