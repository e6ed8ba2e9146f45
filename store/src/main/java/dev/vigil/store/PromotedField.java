package dev.vigil.store;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A field copied out of the JSON into a real column, because analysts search and aggregate it often and a column scan
 * is an order of magnitude faster than extracting it from every row's JSON.
 *
 * <p>The column holds the value of exactly this field name (as {@code Event.field} resolves it) when that value is a
 * single value of the column's kind; otherwise (a list, another type) the column is {@code NULL} and the row's {@code
 * overflow} flag sends queries to the JSON, which keeps every field. So a query over a promoted field gives the same
 * answer as over the JSON, only faster.
 *
 * @param column the SQL column name
 * @param kind what the column holds
 */
public record PromotedField(String field, String column, Kind kind) {
    public enum Kind {
        /** A string column. */
        TEXT,
        /** A BIGINT column: long values and strings that are canonical longs. */
        LONG,
        /** A string column plus {@code <column>_key}, the address in {@link IpKey} form, for CIDR ranges. */
        IP
    }

    /** Chosen from the fields the Sigma rule pack and the ECS mapping most often filter and group on. */
    public static final List<PromotedField> ALL = List.of(
            new PromotedField("EventID", "p_event_id", Kind.LONG),
            new PromotedField("Channel", "p_channel", Kind.TEXT),
            new PromotedField("Computer", "p_computer", Kind.TEXT),
            new PromotedField("host.name", "p_host_name", Kind.TEXT),
            new PromotedField("User", "p_user", Kind.TEXT),
            new PromotedField("user.name", "p_user_name", Kind.TEXT),
            new PromotedField("TargetUserName", "p_target_user_name", Kind.TEXT),
            new PromotedField("SubjectUserName", "p_subject_user_name", Kind.TEXT),
            new PromotedField("Image", "p_image", Kind.TEXT),
            new PromotedField("process.name", "p_process_name", Kind.TEXT),
            new PromotedField("CommandLine", "p_command_line", Kind.TEXT),
            new PromotedField("event.action", "p_event_action", Kind.TEXT),
            new PromotedField("source.ip", "p_source_ip", Kind.IP),
            new PromotedField("destination.ip", "p_destination_ip", Kind.IP),
            new PromotedField("IpAddress", "p_ip_address", Kind.IP),
            new PromotedField("SourceIp", "p_sysmon_source_ip", Kind.IP),
            new PromotedField("DestinationIp", "p_sysmon_destination_ip", Kind.IP));

    static final Map<String, PromotedField> BY_FIELD =
            ALL.stream().collect(Collectors.toUnmodifiableMap(PromotedField::field, Function.identity()));

    static final Map<String, PromotedField> BY_COLUMN =
            ALL.stream().collect(Collectors.toUnmodifiableMap(PromotedField::column, Function.identity()));

    String keyColumn() {
        return column + "_key";
    }
}
