package dev.vigil.sigma.correlation;

import java.util.List;
import java.util.function.Function;

/**
 * Maps a field a correlation names (a group-by field, an alias target, a condition field) to the event fields it may
 * be, for the events of one referenced rule: a field mapping can depend on the rule's log source ({@code User} is
 * {@code winlog.event_data.TargetUserName} for Windows rules only), and a correlation has no log source of its own.
 */
@FunctionalInterface
public interface CorrelationFieldMapping {
    /** Reads every field as named. */
    CorrelationFieldMapping IDENTITY = (rule, field) -> List.of(field);

    /**
     * @param rule the {@code rules:} entry (a rule's name or id) whose event is read
     * @param field the field as the correlation names it
     * @return the event fields to read, in order: the first one the event has is the value; not empty
     */
    List<String> map(String rule, String field);

    /** One event field per field, whatever the rule. */
    static CorrelationFieldMapping of(Function<String, String> mapping) {
        return (rule, field) -> List.of(mapping.apply(field));
    }
}
