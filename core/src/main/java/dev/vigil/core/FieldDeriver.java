package dev.vigil.core;

import java.util.Map;

/**
 * Computes fields of an event from the event's own fields, on first use rather than when the event is read.
 *
 * <p>Why: a Windows event carries Elastic Common Schema names ({@code process.executable}, {@code host.name}, ...)
 * beside its Sigma names so that search, the console and the correlators can use either. Deriving them costs a quarter
 * of reading the event, and a hunt over log files with Sigma rules, which name fields as Windows does, never looks at
 * them. So an {@link Event} built with a deriver computes the derived fields once, the first time {@link
 * Event#fields()} is called or a name the deriver {@linkplain #mayDerive may derive} is looked up and the event's own
 * fields do not have it.
 *
 * <p>Derived fields never replace the event's own: a name the event has keeps its own value. They are not part of the
 * record, so keyword (full-text) searches do not see them ({@link Event#forEachValue}).
 *
 * <p>Implementations are immutable and thread-safe: one instance may serve every event of a kind (the Windows ECS
 * deriver is stateless), and two threads may derive the fields of one event at once (one result is kept).
 */
public interface FieldDeriver {
    /**
     * Whether {@code name} may be a derived field. A lookup of any other name that the event's own fields do not have
     * answers "missing" without deriving, so this must be cheap and must hold for every name {@link #derive} can add.
     */
    boolean mayDerive(String name);

    /**
     * Puts the fields derived from {@code event} into {@code into}. Reads the event's {@link Event#ownFields()}, time
     * and original, never {@link Event#fields()} or {@link Event#field(String)} (which would derive again). Names the
     * event's own fields already hold are left out.
     */
    void derive(Event event, Map<String, Object> into);

    /**
     * Fields derived before, kept apart by a codec ({@code EventJson} writes how many of an event's fields are its
     * own), so that an event read back has the same own and derived fields as the event written. The map is taken
     * over, not copied (as {@link Event.Builder#fields} takes its map): the caller must not change it afterwards. The
     * fields stay what they were when written: a copy of the event at another time gets the same ones.
     */
    static FieldDeriver of(Map<String, Object> derived) {
        return new DerivedBefore(java.util.Objects.requireNonNull(derived, "derived"));
    }
}
